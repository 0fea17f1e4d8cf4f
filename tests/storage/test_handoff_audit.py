"""The handoff audit counts urgent replies by time, channel and category only."""

import sqlite3
from datetime import datetime, timezone

import pytest

from storage.handoff_audit import HandoffAudit
from tests.conftest import say
from tools.local_servers import Servers


def rows(db) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT occurred_at, channel, category FROM handoffs").fetchall()


def test_records_the_channel_and_category_of_each_handoff_and_nothing_else(tmp_path):
    db = tmp_path / "audit.db"
    audit = HandoffAudit(str(db))
    secret = "my brother Sam Jones at 12 Elm St is not breathing"
    audit.publish({"event": "user", "sender_id": "s1", "text": secret, "input_channel": "socketio"})
    audit.publish({"event": "action", "sender_id": "s1", "name": "utter_urgent_overdose"})
    audit.publish(
        {
            "event": "bot",
            "sender_id": "s1",
            "text": "Call 911 now.",
            "data": {"custom": {"handoff": True, "reason": "overdose"}},
        }
    )
    # An ordinary answer is not counted.
    audit.publish({"event": "bot", "sender_id": "s1", "text": "Detox is...", "data": {}})

    [(occurred_at, channel, category)] = rows(db)
    assert (channel, category) == ("socketio", "overdose")
    assert (
        abs(
            datetime.fromisoformat(occurred_at).replace(tzinfo=timezone.utc)
            - datetime.now(timezone.utc)
        ).total_seconds()
        < 60
    )
    with sqlite3.connect(db) as connection:
        columns = [c[1] for c in connection.execute("PRAGMA table_info(handoffs)")]
    assert columns == ["id", "occurred_at", "channel", "category"]
    raw = db.read_bytes()
    assert b"Sam" not in raw and b"s1" not in raw and b"breathing" not in raw


@pytest.mark.parametrize(
    ("message", "reason"),
    [("my friend is not breathing", "overdose"), ("i want to kill myself", "suicide")],
)
def test_a_handoff_over_rest_is_counted_by_the_running_server(
    servers: Servers, message: str, reason: str
):
    before = len(rows(servers.audit_db))
    replies = say(servers, f"audit-{reason}", message)
    assert {"handoff": True, "reason": reason} in [r.get("custom") for r in replies]
    recorded = rows(servers.audit_db)
    assert len(recorded) == before + 1
    assert recorded[-1][1:] == ("rest", reason)
