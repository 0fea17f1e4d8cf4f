"""Twilio's retries across replicas: two Rasa servers on one PostgreSQL database.

Behind a proxy a retried webhook request (same MessageSid, same signature) can
land on another replica than the first. The MessageSids are in the shared
database (storage/sms_message_ids.py), so the second replica sends the first
one's TwiML back and Rasa handles the message once, also when both replicas
get the request at the same moment.
"""

from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest
import requests
import sqlalchemy as sa

from tests.channels.sms_client import (
    Fields,
    conversation_id,
    post,
    reply,
    sign,
    twilio_fields,
)
from tests.reliability.conftest import two_replicas
from tests.stored import user_intents
from tools.local_servers import Servers

# What both replicas are told Twilio calls, as behind the proxy in deploy/.
PUBLIC_URL = "https://assistant.example.org/webhooks/twilio/webhook"
# Fictional numbers (555-01xx).
PHONES = {"replay": "+15085550125", "race": "+15085550126"}


@pytest.fixture(scope="module")
def replicas(
    model_path: str,
    tmp_path_factory: pytest.TempPathFactory,
    database: str,
    redis_url: str,
) -> Iterator[tuple[Servers, Servers]]:
    """Servers A and B on the same stores, as replicas are."""
    env = {
        "BOT_DB_URL": database,
        "BOT_REDIS_URL": redis_url,
        "SMS_OPTOUT_DB": database,
        "TWILIO_WEBHOOK_URL": PUBLIC_URL,
    }
    workdir = tmp_path_factory.mktemp("sms-replicas")
    with two_replicas(model_path, workdir, env) as started:
        yield started


def send(servers: Servers, fields: Fields) -> requests.Response:
    """The request as Twilio sends it to the public URL, whichever replica gets it."""
    response = post(servers, fields, sign(PUBLIC_URL, fields))
    assert response.status_code == 200, response.text
    return response


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
