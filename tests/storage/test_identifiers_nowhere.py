"""Every format of the redaction table, typed on every channel, is found nowhere in clear.

A server of its own, logging at DEBUG (Rasa then logs the text of each
message it parses), gets every message of the table in tests/storage/test_redaction.py
over REST, the widget and SMS. Then every file the servers wrote (the
conversations, the handoff counts, the SMS opt-outs, both servers' logs) and
the staff's review page (`make review`) are scanned for the identifying parts.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.channels.sms_client import text
from tests.conftest import say
from tests.storage.test_redaction import FORMATS
from tools import review_report
from tools.local_servers import Servers, start_servers
from tools.widget_client import WidgetClient

PHONE = "+15085550171"  # the SMS sender (fictional); its number is hashed, never stored


@pytest.fixture(scope="module")
def workdir(model_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The servers' folder, after a conversation that typed every format on every channel."""
    folder = Path(tmp_path_factory.mktemp("identifiers"))
    servers: Servers = start_servers(model_path, folder, env={"LOG_LEVEL": "DEBUG"})
    try:
        widget = WidgetClient(servers.url)
        widget.start_session()
        for typed, _, _ in FORMATS:
            say(servers, "identifiers-rest", typed)
            widget.say(typed)
            text(servers, PHONE, typed)
        widget.close()
    finally:
        servers.stop()
    review_report.main(
        [
            "--db",
            str(servers.db),
            "--audit-db",
            str(servers.audit_db),
            "--out",
            str(folder / "review.html"),
        ]
    )
    yield folder


def _in_clear(secret: str, haystack: str) -> str | None:
    """Where `secret` is in `haystack` (a little context), or None.

    A number also counts with other separators between its digit groups (a
    log may escape an en dash as \\u2013), but its groups stay whole.
    """
    if re.search(r"[A-Za-z]", secret):
        at = haystack.lower().find(secret.lower())
        return None if at < 0 else haystack[max(0, at - 40) : at + len(secret) + 40]
    separators = r"(?:[\s\-./()\u2013\u2014]|\\u20[0-9a-f]{2}){1,3}"
    pattern = r"(?<!\d)" + separators.join(re.findall(r"\d+", secret)) + r"(?!\d)"
    found = re.search(pattern, haystack)
    return None if found is None else haystack[max(0, found.start() - 40) : found.end() + 40]


def _written(folder: Path) -> dict[str, str]:
    """Every file the servers and the review wrote, as text (databases included, bytewise)."""
    return {
        path.name: path.read_bytes().decode("utf-8", errors="replace")
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_the_review_page_and_every_database_and_log_were_written(workdir: Path):
    names = set(_written(workdir))
    assert {"conversations.db", "handoffs.db", "rasa.log", "actions.log", "review.html"} <= names
    # At DEBUG, Rasa logs the text of every message it parses.
    assert "parse_data_text" in _written(workdir)["rasa.log"], "DEBUG logging was on"


@pytest.mark.parametrize(("typed", "secret", "tag"), FORMATS, ids=[f[1] for f in FORMATS])
def test_no_identifying_part_is_anywhere_in_clear(workdir: Path, typed: str, secret: str, tag: str):
    found = {
        name: where
        for name, content in _written(workdir).items()
        if (where := _in_clear(secret, content)) is not None
    }
    assert found == {}
