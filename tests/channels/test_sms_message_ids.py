"""Each MessageSid handled once, without a server: the store of recent MessageSids
(storage/sms_message_ids.py, on real SQLite files) and the SMS handler that uses it."""

import asyncio
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain

from channels.never_silent import no_reply_text
from channels.sms.handling import SmsHandler
from channels.sms.optouts import OptOuts
from channels.sms.rendering import twiml
from storage import sms_message_ids
from storage.sms_message_ids import EXPIRY, SmsMessageIds, tracker_store_database
from tests.channels.sms_client import message_sid
from tests.channels.test_sms_handling import MENU, PHONE, SENDER, FakeAssistant, FakeQueue


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "conversations.db")


@pytest.fixture
def store(db: str) -> SmsMessageIds:
    return SmsMessageIds(db)


def test_the_first_claim_wins_and_its_reply_is_kept(store: SmsMessageIds, db: str):
    sid = message_sid()
    assert store.claim(sid)
    assert not store.claim(sid)
    assert not SmsMessageIds(db).claim(sid)  # another replica on the same database
    assert store.reply(sid) is None
    store.record_reply(sid, "<Response />")
    assert SmsMessageIds(db).reply(sid) == "<Response />"
    assert SmsMessageIds(db).claim(message_sid())


def test_of_many_claims_at_once_on_one_database_exactly_one_wins(db: str):
    sid = message_sid()
    stores = [SmsMessageIds(db) for _ in range(8)]
    start = threading.Barrier(len(stores))
    won: list[bool] = []

    def claim(store: SmsMessageIds) -> None:
        start.wait()
        won.append(store.claim(sid))

    threads = [threading.Thread(target=claim, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 7 + [True]


def test_claims_expire_after_a_day(store: SmsMessageIds, db: str):
    now = datetime.now(timezone.utc)
    old, recent = message_sid(), message_sid()
    assert store.claim(old, now=now - EXPIRY - timedelta(minutes=1))
    assert store.claim(recent, now=now - EXPIRY + timedelta(minutes=1))
    other = SmsMessageIds(db)
    assert other.claim(old, now=now)
    assert not other.claim(recent, now=now)
    # The purge (make purge's too) deletes only expired rows.
    assert store.claim(message_sid(), now=now - 2 * EXPIRY)
    assert sms_message_ids.purge_expired(f"sqlite:///{db}") == 1
    assert store.purge_expired() == 0
    assert sms_message_ids.purge_expired(f"sqlite:///{db}", now=now + EXPIRY * 2) == 2


def test_an_expired_claim_no_longer_counts_before_it_is_purged(db: str):
    now = datetime.now(timezone.utc)
    store = SmsMessageIds(db)
    assert store.claim(message_sid(), now=now)  # purged all expired rows just now
    expired = message_sid()
    assert SmsMessageIds(db).claim(expired, now=now - 2 * EXPIRY)
    assert store.claim(expired, now=now + timedelta(minutes=1))
    assert not store.claim(expired, now=now + timedelta(minutes=2))


def test_make_purge_leaves_a_database_without_the_table_alone(tmp_path: Path):
    db = tmp_path / "conversations.db"
    sa.create_engine(f"sqlite:///{db}").connect().close()
    assert sms_message_ids.purge_expired(f"sqlite:///{db}") == 0


def test_only_the_id_the_time_and_the_reply_are_stored(store: SmsMessageIds, db: str):
    sid = message_sid()
    store.claim(sid)
    store.record_reply(sid, twiml("Call 911 now."))
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        [row] = connection.execute(sa.text("SELECT * FROM sms_message_ids")).mappings()
    assert set(row) == {"message_sid", "claimed_at", "reply"}
    assert row["message_sid"] == sid and "Call 911 now." in row["reply"]


def test_the_store_is_in_the_tracker_stores_database(tmp_path: Path):
    db = tmp_path / "conversations.db"
    tracker_store = FailSafeTrackerStore(SQLTrackerStore(dialect="sqlite", db=str(db)))
    assert tracker_store_database(tracker_store) == f"sqlite:///{db}"
    store = SmsMessageIds.beside_conversations(tracker_store)
    assert store.claim(message_sid())
    assert "sms_message_ids" in sa.inspect(sa.create_engine(f"sqlite:///{db}")).get_table_names()
    # Conversations in memory: message ids in memory too.
    in_memory = FailSafeTrackerStore(InMemoryTrackerStore(Domain.empty()))
    assert tracker_store_database(in_memory) is None
    assert SmsMessageIds.beside_conversations(in_memory).claim(message_sid())
    assert SmsMessageIds.beside_conversations(None).claim(message_sid())


# --- the handler ---


class SlowAssistant(FakeAssistant):
    async def ask(self, text: str) -> str:
        await asyncio.sleep(0.3)
        return await super().ask(text)


@pytest.fixture
def handler(tmp_path: Path, store: SmsMessageIds) -> SmsHandler:
    return SmsHandler(OptOuts(str(tmp_path / "optouts.db")), message_ids=store, repeat_wait_s=2)


def test_a_repeated_message_id_gets_the_first_twiml_and_reaches_the_assistant_once(
    handler: SmsHandler,
):
    assistant, sid = FakeAssistant(MENU), message_sid()
    first = asyncio.run(handler.respond(sid, SENDER, "what is detox", assistant))
    again = asyncio.run(handler.respond(sid, SENDER, "what is detox", assistant))
    assert first == again == twiml("<answer to what is detox>")
    assert assistant.asked == ["what is detox"]


def test_a_repeated_call_holds_the_number_and_starts_the_form_once(
    tmp_path: Path, store: SmsMessageIds
):
    queue = FakeQueue()
    handler = SmsHandler(
        OptOuts(str(tmp_path / "optouts.db")), message_ids=store, callback_queue=lambda: queue
    )
    assistant, sid = FakeAssistant(MENU), message_sid()
    replies = [
        asyncio.run(handler.respond(sid, SENDER, "CALL", assistant, phone=PHONE)) for _ in range(2)
    ]
    assert replies[0] == replies[1] == twiml("<answer to /request_callback>")
    assert queue.held == [(SENDER, PHONE, "twilio")]
    assert assistant.asked == ["/request_callback"]


def test_requests_at_once_wait_for_the_first_one(handler: SmsHandler):
    assistant, sid = SlowAssistant(MENU), message_sid()

    async def three_at_once() -> list[str]:
        return await asyncio.gather(
            *(handler.respond(sid, SENDER, "what is detox", assistant) for _ in range(3))
        )

    assert asyncio.run(three_at_once()) == [twiml("<answer to what is detox>")] * 3
    assert assistant.asked == ["what is detox"]


def test_a_first_request_cut_off_is_still_answered_for_its_retry(handler: SmsHandler):
    """Twilio hung up (Sanic cancels the request): the handling goes on, and
    the retry gets its reply instead of a second handling."""
    assistant, sid = SlowAssistant(MENU), message_sid()

    async def cut_off_then_retried() -> str:
        first = asyncio.ensure_future(handler.respond(sid, SENDER, "what is detox", assistant))
        await asyncio.sleep(0.05)
        first.cancel()
        return await handler.respond(sid, SENDER, "what is detox", assistant)

    assert asyncio.run(cut_off_then_retried()) == twiml("<answer to what is detox>")
    assert assistant.asked == ["what is detox"]


def test_a_repeat_whose_first_never_answers_gets_the_help_lines(
    handler: SmsHandler, store: SmsMessageIds
):
    assistant, sid = FakeAssistant(MENU), message_sid()
    store.claim(sid)  # as by a replica that then died
    assert asyncio.run(handler.respond(sid, SENDER, "hi", assistant)) == twiml(no_reply_text())
    assert assistant.asked == []


def test_without_a_store_every_request_is_handled(tmp_path: Path):
    handler = SmsHandler(OptOuts(str(tmp_path / "optouts.db")))
    assistant, sid = FakeAssistant(MENU), message_sid()
    for _ in range(2):
        asyncio.run(handler.respond(sid, SENDER, "what is detox", assistant))
    assert assistant.asked == ["what is detox"] * 2


def test_a_store_that_fails_does_not_keep_the_message_from_being_answered(
    tmp_path: Path, store: SmsMessageIds, caplog: pytest.LogCaptureFixture
):
    handler = SmsHandler(OptOuts(str(tmp_path / "optouts.db")), message_ids=store)
    store.close()  # its connections; the next query opens a new one
    (tmp_path / "conversations.db").unlink()
    (tmp_path / "conversations.db").mkdir()  # the database is gone: every query fails
    assistant = FakeAssistant(MENU)
    reply = asyncio.run(handler.respond(message_sid(), SENDER, "what is detox", assistant))
    assert reply == twiml("<answer to what is detox>")
    assert "Could not claim an SMS message id" in caplog.text
