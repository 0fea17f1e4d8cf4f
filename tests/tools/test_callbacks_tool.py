"""make callbacks: staff list the open call-back requests and mark them done."""

import os
import subprocess

import pytest
from cryptography.fernet import Fernet

from storage.callbacks import CallbackQueue
from tools.in_process import ROOT

KEY = Fernet.generate_key().decode()


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    queue = CallbackQueue(url, [KEY.encode()])
    queue.hold_number("web-1", "508 555 0134", "webchat")
    queue.submit("web-1", "Jen", "tomorrow_evening", True, False)
    queue.hold_number("sms-1", "+16175550199", "twilio")
    queue.submit("sms-1", "", "now", False, True)
    queue.close()
    return url


def make(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("CALLBACK_KEY", "BOT_DB_URL")}
    return subprocess.run(
        ["make", "-s", "callbacks", *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_lists_open_requests_with_their_numbers_and_marks_them_done(db):
    listed = make(BOT_DB_URL=db, CALLBACK_KEY=KEY)
    assert listed.returncode == 0, listed.stderr
    out = listed.stdout
    assert "2 open call-back request(s), oldest first" in out
    assert "#1  requested" in out and "website chat  (not emailed yet)" in out
    assert "Jen  (508) 555-0134" in out
    assert "call tomorrow evening (" in out and "voicemail: yes; text: no" in out
    assert "(no name given)  (617) 555-0199" in out and "text message (SMS)" in out
    assert "make callbacks DONE=<id>" in out

    done = make("DONE=1", BOT_DB_URL=db, CALLBACK_KEY=KEY)
    assert done.returncode == 0 and "#1 is done" in done.stdout
    out = make(BOT_DB_URL=db, CALLBACK_KEY=KEY).stdout
    assert "1 open call-back request(s)" in out and "Jen" not in out

    again = make("DONE=1", BOT_DB_URL=db, CALLBACK_KEY=KEY)
    assert again.returncode != 0 and "no open call-back request #1" in again.stderr


def test_without_the_key_the_numbers_are_not_shown(db):
    listed = make(BOT_DB_URL=db)
    assert listed.returncode != 0
    assert "CALLBACK_KEY is not set" in listed.stderr and "555" not in listed.stdout
    # Marking done needs no key.
    assert make("DONE=2", BOT_DB_URL=db).returncode == 0


def test_a_wrong_key_is_said_plainly(db):
    listed = make(BOT_DB_URL=db, CALLBACK_KEY=Fernet.generate_key().decode())
    assert listed.returncode != 0 and "does not decrypt" in listed.stderr


def test_nothing_open(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert "No open call-back requests." in make(BOT_DB_URL=url, CALLBACK_KEY=KEY).stdout
