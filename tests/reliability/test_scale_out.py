"""Two Rasa servers sharing PostgreSQL (BOT_DB_URL) and Redis (BOT_REDIS_URL).

One conversation is sent to both servers in turn, as a proxy in front of
replicas would, and must stay one coherent conversation. The PostgreSQL and
Redis of tests/reliability/conftest.py are used: each run makes its own
database and drops it afterwards.

Twilio's retries: behind the proxy a retried webhook request (same
MessageSid, same signature) can land on another replica than the first. The
MessageSids are in the shared database (storage/sms_message_ids.py), so the
second replica sends the first one's TwiML back and Rasa handles the message
once, also when both replicas get the request at the same moment.

One pair of replicas serves every test here: starting one takes a while.
"""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest
import redis
import requests
import sqlalchemy as sa

from storage.lock_store import KEY_PREFIX
from tests.channels.sms_client import (
    Fields,
    conversation_id,
    menu_digit,
    post,
    reply,
    sign,
    twilio_fields,
)
from tests.conftest import say
from tests.reliability.conftest import two_replicas
from tests.stored import session_starts, stored_events, user_intents
from tools.local_servers import Servers
from tools.widget_client import WidgetClient

# What both replicas are told Twilio calls, as behind the proxy in deploy/.
PUBLIC_URL = "https://assistant.example.org/webhooks/twilio/webhook"
# Fictional numbers (555-01xx).
PHONES = {"alternating": "+15085550161", "replay": "+15085550125", "race": "+15085550126"}


@pytest.fixture(scope="module")
def replicas(
    model_path: str,
    tmp_path_factory: pytest.TempPathFactory,
    database: str,
    redis_url: str,
) -> Iterator[tuple[Servers, Servers]]:
    """Servers A and B, started at the same time on the same stores, as replicas are."""
    env = {
        "BOT_DB_URL": database,
        "BOT_REDIS_URL": redis_url,
        "SMS_OPTOUT_DB": database,
        "TWILIO_WEBHOOK_URL": PUBLIC_URL,
    }
    workdir = tmp_path_factory.mktemp("replicas")
    with two_replicas(model_path, workdir, env) as started:
        yield started


def send(servers: Servers, fields: Fields) -> requests.Response:
    """The request as Twilio sends it to the public URL, whichever replica gets it."""
    response = post(servers, fields, sign(PUBLIC_URL, fields))
    assert response.status_code == 200, response.text
    return response


def text(servers: Servers, phone: str, body: str) -> str | None:
    return reply(send(servers, twilio_fields(phone, body)))


def test_an_sms_conversation_alternating_between_servers_stays_one(replicas, database):
    a, b = replicas
    phone = PHONES["alternating"]
    medications = menu_digit(text(a, phone, "hi"), "Medications")
    # The digit reaches B, which finds the menu A sent in the shared store.
    mat_menu = text(b, phone, medications) or ""
    assert mat_menu.startswith("Medications (MAT)")
    assert "methadone" in (text(a, phone, menu_digit(mat_menu, "Methadone")) or "").lower()
    sender = conversation_id(phone)
    assert user_intents(database, sender) == ["greet", "menu_mat", "faq"]
    assert session_starts(database, sender) == 1


def test_a_widget_session_continues_on_the_other_server_after_a_reconnect(replicas, database):
    a, b = replicas
    first = WidgetClient(a.url)
    session_id = first.start_session()
    assert "not a doctor" in first.say("/greet")["text"]
    first.close()
    # The reconnect lands on B, which carries the same conversation on.
    second = WidgetClient(b.url)
    assert second.start_session(session_id) == session_id
    assert second.say("/menu_mat")["text"].startswith("Medications (MAT)")
    second.close()
    # The tracker's sender id is the token's conversation id (the part before the dot).
    assert user_intents(database, session_id.split(".")[0]) == ["greet", "menu_mat"]


def test_messages_sent_to_both_servers_at_once_are_answered_one_at_a_time(
    replicas, database, redis_client: redis.Redis
):
    """The Redis lock lets one server at a time handle the conversation.

    With Rasa's own RedisLockStore, messages were lost in 5 of 8 such bursts.
    """
    a, b = replicas
    sender = f"both-{uuid.uuid4().hex[:8]}"
    say(a, sender, "hi")
    messages = ["/menu_mat", "/faq/mat_methadone", "/menu_detox", "/faq/detox_what_is"] * 2
    seen_locked = threading.Event()
    sent = threading.Event()

    def watch_the_lock() -> None:
        while not sent.is_set():
            if redis_client.exists(f"{KEY_PREFIX}:lock:{sender}"):
                seen_locked.set()
            time.sleep(0.001)

    watcher = threading.Thread(target=watch_the_lock)
    watcher.start()
    with ThreadPoolExecutor(len(messages)) as pool:
        answers = list(
            pool.map(lambda i: say((a, b)[i % 2], sender, messages[i]), range(len(messages)))
        )
    sent.set()
    watcher.join()

    assert all(answers), "every message got its answer"
    assert seen_locked.is_set(), "the servers took the conversation's lock in Redis"
    events = stored_events(database, sender)
    assert sorted(name for kind, name in events if kind == "user") == sorted(
        ["greet"] + ["menu_mat", "faq", "menu_detox", "faq"] * 2
    )
    # One at a time: each message is answered before the next is read.
    kinds = [kind for kind, _ in events if kind in ("user", "bot")]
    turns = [kind for i, kind in enumerate(kinds) if i == 0 or kinds[i - 1] != kind]
    assert turns == ["user", "bot"] * (len(messages) + 1)
    assert session_starts(database, sender) == 1


def stored_message_ids(database: str) -> list[dict]:
    engine = sa.create_engine(database, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT * FROM sms_message_ids"))
            return [dict(row) for row in rows.mappings()]
    finally:
        engine.dispose()


def test_a_replay_sent_to_the_other_replica_gets_the_first_ones_twiml(replicas, database):
    a, b = replicas
    phone = PHONES["replay"]
    fields = twilio_fields(phone, "what is detox")
    first = send(a, fields)
    assert "detox" in (reply(first) or "").lower()
    assert send(b, fields).text == first.text
    assert user_intents(database, conversation_id(phone)) == ["faq"]

    # The database keeps Twilio's id and the reply, not the number or the text.
    sid = fields["MessageSid"][0]
    [row] = [row for row in stored_message_ids(database) if row["message_sid"] == sid]
    assert set(row) == {"message_sid", "claimed_at", "reply"}
    assert row["reply"] == first.text


def test_both_replicas_given_one_message_at_once_handle_it_once(replicas, database):
    a, b = replicas
    phone = PHONES["race"]
    messages = ["hi", "what is detox", "how long does withdrawal last"]
    for message in messages:
        fields = twilio_fields(phone, message)
        with ThreadPoolExecutor(2) as pool:
            first, second = pool.map(send, (a, b), (fields, fields))
        assert first.text == second.text
        assert reply(first)
    intents = user_intents(database, conversation_id(phone))
    assert len(intents) == len(messages), intents
