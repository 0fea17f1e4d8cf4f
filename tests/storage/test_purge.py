"""make purge: conversations idle longer than the retention period are deleted whole."""

import json
import sqlite3
import time

from storage.purge import purge

DAY = 86400


def seed(db) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT,"
            " timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        now = time.time()
        rows = [
            ("old", now - 40 * DAY),
            ("old", now - 35 * DAY),
            # started long ago, but written in last week: kept whole
            ("returning", now - 60 * DAY),
            ("returning", now - 5 * DAY),
            ("new", now - 1 * DAY),
        ]
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
            [(sender, ts, json.dumps({"text": "hi"})) for sender, ts in rows],
        )


def senders(db) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))


def test_purges_only_conversations_idle_longer_than_the_retention(tmp_path):
    db = tmp_path / "conversations.db"
    seed(db)
    assert purge(f"sqlite:///{db}", days=30) == 1
    assert senders(db) == {"returning": 2, "new": 1}


def test_a_shorter_retention_deletes_more(tmp_path):
    db = tmp_path / "conversations.db"
    seed(db)
    assert purge(f"sqlite:///{db}", days=3) == 2
    assert senders(db) == {"new": 1}
