"""make purge also deletes call-back requests on time (storage/purge.py), with no key."""

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from cryptography.fernet import Fernet

from storage.callbacks import CallbackQueue, _naive_utc, callback_requests
from tools.in_process import ROOT


def test_make_purge_deletes_old_call_back_requests(tmp_path):
    db = tmp_path / "conversations.db"
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT,"
            " timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
    queue = CallbackQueue(f"sqlite:///{db}", [Fernet.generate_key()])
    now = datetime.now(timezone.utc)
    ids = {}
    for sender in ("recent", "old", "done_long_ago"):
        queue.hold_number(sender, "508 555 0134", "webchat")
        ids[sender] = queue.submit(sender, "", "now", False, False)
    queue.mark_done(ids["done_long_ago"], now=now - timedelta(days=15))
    with queue._engine().begin() as connection:
        connection.execute(
            callback_requests.update()
            .where(callback_requests.c.id == ids["old"])
            .values(requested_at=_naive_utc(now - timedelta(days=31)))
        )
    queue.close()

    env = {k: v for k, v in os.environ.items() if k != "CALLBACK_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "storage.purge", "--days", "30"],
        cwd=ROOT,
        env={**env, "BOT_DB_URL": f"sqlite:///{db}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Deleted 2 call-back request(s): 1 done more than 14 days ago, 1 made more" in (
        result.stdout
    )
    with sqlite3.connect(db) as connection:
        left = [row[0] for row in connection.execute("SELECT id FROM callback_requests")]
    assert left == [ids["recent"]]
