"""The call-back queue (storage/callbacks.py): the one place a number is kept, encrypted."""

import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet

from storage import callbacks
from storage.callbacks import (
    CallbackQueue,
    InvalidNumber,
    NoNumberHeld,
    callback_requests,
)

KEY = Fernet.generate_key()
NUMBER, E164 = "(508) 555-0134", "+15085550134"
DIGITS = "5085550134"


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'conversations.db'}"


@pytest.fixture
def queue(db) -> CallbackQueue:
    q = CallbackQueue(db, [KEY])
    yield q
    q.close()


def raw_rows(db: str) -> list[tuple]:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as connection:
        return connection.execute(f"SELECT * FROM {callback_requests.name}").fetchall()


def submitted(queue: CallbackQueue, sender: str = "web-1", **choices) -> int:
    queue.hold_number(sender, NUMBER, "webchat")
    values = {"name": "Jen", "window": "tomorrow_morning", "voicemail": True, "text_ok": False}
    return queue.submit(sender, **{**values, **choices})


def test_a_submitted_request_is_read_back_decrypted(queue):
    request_id = submitted(queue)
    [request] = queue.open_requests()
    assert request.id == request_id
    assert (request.name, request.phone, request.phone_display) == ("Jen", E164, NUMBER)
    assert (request.window, request.voicemail, request.text_ok) == ("tomorrow_morning", True, False)
    assert request.channel == "webchat" and request.delivered_at is None


def test_the_number_and_name_are_encrypted_and_the_sender_forgotten(queue, db):
    submitted(queue, sender="web-sender-123")
    stored = repr(raw_rows(db))
    for secret in (DIGITS, "555-0134", "Jen", "web-sender-123"):
        assert secret not in stored
    with sqlite3.connect(db.removeprefix("sqlite:///")) as connection:
        [(holder,)] = connection.execute("SELECT holder FROM callback_requests").fetchall()
    # Once submitted, the request cannot be joined to its conversation.
    assert holder is None


def test_a_held_number_is_kept_under_a_keyed_hash_of_the_sender_only(queue, db):
    queue.hold_number("web-sender-123", NUMBER, "webchat")
    stored = repr(raw_rows(db))
    assert "web-sender-123" not in stored and DIGITS not in stored
    assert queue.has_held_number("web-sender-123")
    assert not queue.has_held_number("someone-else")


def test_holding_again_replaces_the_number(queue):
    queue.hold_number("web-1", NUMBER, "webchat")
    queue.hold_number("web-1", "617-555-0199", "webchat")
    queue.submit("web-1", "", "now", False, False)
    [request] = queue.open_requests()
    assert request.phone == "+16175550199" and request.name == ""


def test_an_invalid_number_is_refused_without_repeating_it(queue):
    with pytest.raises(InvalidNumber) as refused:
        queue.hold_number("web-1", "555-01", "webchat")
    assert "555" not in str(refused.value)
    assert not queue.has_held_number("web-1")


def test_submit_without_a_held_number_fails(queue):
    with pytest.raises(NoNumberHeld):
        queue.submit("web-1", "Jen", "now", True, True)


def test_a_number_held_longer_than_a_day_cannot_be_submitted(queue):
    queue.hold_number("web-1", NUMBER, "webchat")
    later = datetime.now(timezone.utc) + timedelta(days=1, minutes=1)
    with pytest.raises(NoNumberHeld):
        queue.submit("web-1", "Jen", "now", True, True, now=later)


def test_discard_deletes_only_the_held_number(queue):
    request_id = submitted(queue, sender="web-1")
    queue.hold_number("web-1", "617-555-0199", "webchat")
    assert queue.discard("web-1") == 1
    assert [r.id for r in queue.open_requests()] == [request_id]


def test_without_a_key_no_number_is_kept(db, caplog):
    keyless = CallbackQueue(db, None)
    assert not keyless.available
    keyless.hold_number("web-1", NUMBER, "webchat")
    assert not keyless.has_held_number("web-1")
    with pytest.raises(NoNumberHeld):
        keyless.submit("web-1", "Jen", "now", True, True)


def test_from_environment_without_a_key_logs_once(monkeypatch, db, caplog):
    monkeypatch.setenv("BOT_DB_URL", db)
    monkeypatch.delenv("CALLBACK_KEY", raising=False)
    callbacks._queue_for.cache_clear()
    callbacks._said_once.clear()
    with caplog.at_level("WARNING"):
        assert not CallbackQueue.from_environment().available
        assert not CallbackQueue.from_environment().available
        CallbackQueue.from_environment().hold_number("web-1", NUMBER, "webchat")
    assert [r.getMessage() for r in caplog.records].count(callbacks.NO_KEY) == 1
    monkeypatch.setenv("CALLBACK_KEY", "not-a-key")
    with caplog.at_level("ERROR"):
        assert not CallbackQueue.from_environment().available
    assert "is not a Fernet key" in caplog.text and "not-a-key" not in caplog.text
    callbacks._queue_for.cache_clear()


def test_a_rotated_key_still_reads_old_requests(db):
    old = CallbackQueue(db, [KEY])
    submitted(old)
    old.close()
    rotated = CallbackQueue(db, [Fernet.generate_key(), KEY])
    assert [r.phone for r in rotated.open_requests()] == [E164]
    wrong = CallbackQueue(db, [Fernet.generate_key()])
    with pytest.raises(PermissionError, match="CALLBACK_KEY"):
        wrong.open_requests()


def test_mark_done_closes_a_request_once(queue):
    request_id = submitted(queue)
    assert queue.mark_done(request_id)
    assert not queue.mark_done(request_id)
    assert not queue.mark_done(999)
    assert queue.open_requests() == []
    assert queue.request(request_id).done_at is not None


def test_a_request_is_claimed_for_delivery_by_one_caller_at_a_time(queue, db):
    request_id = submitted(queue)
    other = CallbackQueue(db, [KEY])
    assert [r.id for r in queue.claim_undelivered()] == [request_id]
    assert other.claim_undelivered() == []
    queue.release(request_id)
    assert [r.id for r in other.claim_undelivered()] == [request_id]
    other.mark_delivered(request_id)
    assert queue.claim_undelivered() == []
    assert queue.request(request_id).delivered_at is not None


def test_a_claim_never_finished_is_taken_again_later(queue):
    submitted(queue)
    assert queue.claim_undelivered()
    assert not queue.claim_undelivered()
    later = datetime.now(timezone.utc) + callbacks.CLAIM_EXPIRES + timedelta(seconds=1)
    assert queue.claim_undelivered(now=later)


def test_a_request_done_before_its_email_is_not_emailed(queue):
    queue.mark_done(submitted(queue))
    assert queue.claim_undelivered() == []


# --- retention ---


def test_purge_follows_the_retention_rules(queue):
    now = datetime.now(timezone.utc)
    recent_open = submitted(queue, sender="a")
    old_open = submitted(queue, sender="b")
    done_long_ago = submitted(queue, sender="c")
    done_lately = submitted(queue, sender="d")
    queue.hold_number("e", NUMBER, "webchat")  # never finished
    with queue._engine().begin() as connection:
        t = callback_requests.c
        for request_id, made, done in [
            (old_open, now - timedelta(days=31), None),
            (done_long_ago, now - timedelta(days=20), now - timedelta(days=15)),
            (done_lately, now - timedelta(days=20), now - timedelta(days=12)),
        ]:
            connection.execute(
                callback_requests.update()
                .where(t.id == request_id)
                .values(
                    requested_at=callbacks._naive_utc(made),
                    done_at=done and callbacks._naive_utc(done),
                )
            )
    purged = queue.purge(now)
    # The number held a moment ago stays for now.
    assert (purged.held, purged.done, purged.expired) == (0, 1, 1)
    assert queue.purge(now + timedelta(days=1, minutes=1)).held == 1
    with queue._engine().connect() as connection:
        left = {row.id for row in connection.execute(callback_requests.select())}
    assert left == {recent_open, done_lately}


def test_a_done_request_goes_30_days_after_it_was_made_even_if_done_lately(queue):
    request_id = submitted(queue)
    now = datetime.now(timezone.utc)
    queue.mark_done(request_id, now=now + timedelta(days=29))
    assert queue.purge(now + timedelta(days=30, minutes=1)).total == 1


def test_purge_and_counts_need_no_key_and_make_no_table(tmp_path):
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    keyless = CallbackQueue(db, None)
    assert keyless.purge().total == 0
    assert keyless.counts_per_day_and_channel(date(2026, 1, 1), date(2026, 12, 31)) == {}
    assert raw_tables(tmp_path / "empty.db") == []


def raw_tables(path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]


def test_counts_per_local_day_and_channel(queue, db):
    for sender, channel, local_time in [
        ("a", "webchat", datetime(2026, 11, 2, 0, 10)),
        ("b", "webchat", datetime(2026, 11, 2, 23, 50)),
        ("c", "twilio", datetime(2026, 11, 2, 12, 0)),
        ("d", "rest", datetime(2026, 11, 3, 9, 0)),
        ("e", "webchat", datetime(2026, 11, 4, 9, 0)),  # after the range
        ("f", "webchat", datetime(2026, 11, 1, 23, 59)),  # before it
    ]:
        queue.hold_number(sender, NUMBER, channel)
        queue.submit(sender, "", "now", False, False, now=local_time.astimezone())
    keyless = CallbackQueue(db, None)
    assert keyless.counts_per_day_and_channel(date(2026, 11, 2), date(2026, 11, 3)) == {
        (date(2026, 11, 2), "webchat"): 2,
        (date(2026, 11, 2), "twilio"): 1,
        (date(2026, 11, 3), "rest"): 1,
    }
