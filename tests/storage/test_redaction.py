"""Contact details people type never reach the database."""

import sqlite3

import pytest

from storage.redaction import redact
from tests.conftest import say
from tools.local_servers import Servers


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("call me at 508-555-0199", "call me at [phone]"),
        ("my number is (508) 555 0199 ok", "my number is [phone] ok"),
        ("text +1 508.555.0199", "text [phone]"),
        ("5085550199", "[phone]"),
        ("reach me on 555-0199", "reach me on [phone]"),
        ("email jane.doe+help@example.org please", "email [email] please"),
        ("call 911 or text 988", "call 911 or text 988"),
        ("it's been 30 days and 6-12 hours", "it's been 30 days and 6-12 hours"),
    ],
)
def test_redact(typed: str, stored: str):
    assert redact(typed) == stored


def test_the_server_stores_messages_with_contact_details_removed(servers: Servers):
    say(servers, "redaction-check", "my son needs help, call me at 508-555-0199 or jo@example.com")
    with sqlite3.connect(servers.db) as connection:
        rows = [r[0] for r in connection.execute("SELECT data FROM events")]
    stored = "\n".join(rows)
    assert "call me at [phone] or [email]" in stored
    assert "555-0199" not in stored and "jo@example.com" not in stored
