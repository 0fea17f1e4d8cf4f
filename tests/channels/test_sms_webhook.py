"""The SMS webhook on the real Rasa server (the `servers` fixture), as Twilio calls it."""

import importlib.util
import json
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import pytest
import requests

from center.facts import center_name, helpline
from channels.never_silent import no_reply_text
from channels.sms import rendering
from channels.sms.handling import REPEAT_WAIT_S
from channels.sms.rendering import SEGMENT_TARGET, segment_count
from storage.sms_message_ids import SmsMessageIds
from tests import stored
from tests.channels import sms_client as twilio
from tests.channels.sms_client import (
    Fields,
    conversation_id,
    message_sid,
    post,
    text,
    twilio_fields,
)
from tests.replies import LINES
from tools.local_servers import Servers, start_servers

# Fictional numbers (555-01xx), one a test, so opt-outs do not cross tests.
PHONES = {
    "signature": "+15085550101",
    "fields": "+15085550102",
    "conversation": "+15085550103",
    "urgent": "+15085550104",
    "stop_not_breathing": "+15085550105",
    "stop": "+15085550106",
    "help": "+15085550107",
    "disabled": "+15085550108",
    "second_from": "+15085550109",
    "privacy": "+15085550110",
    "replay": "+15085550111",
    "at_once": "+15085550112",
    "first_never_done": "+15085550113",
    "replayed_stop": "+15085550114",
    "wrong_digits": "+15085550190",
    "no_menu": "+15085550191",
    "urgent_digits": "+15085550192",
    "menu_for_more": "+15085550193",
    "callback": "+15085550194",
    "callback_held": "+15085550196",
}
JSON = re.compile(r"[{}]|handoff|\"reason\"")


def stored_events(servers: Servers, phone: str) -> list[tuple[str, str]]:
    """(type, intent or action) of the events stored for the phone's conversation."""
    return stored.stored_events(servers.db, conversation_id(phone))


def user_intents(servers: Servers, phone: str) -> list[str]:
    return stored.user_intents(servers.db, conversation_id(phone))


# --- security: signature and fields ---


def test_an_unsigned_or_wrongly_signed_request_gets_403_and_nothing_is_stored(servers: Servers):
    phone = PHONES["signature"]
    fields = twilio_fields(phone, "what is detox")
    url = servers.url + twilio.PATH
    tampered = twilio_fields(phone, "what is methadone")

    assert post(servers, fields, signed=False).status_code == 403
    assert post(servers, fields, twilio.sign(url, fields, token="another-token")).status_code == 403
    assert post(servers, fields, twilio.sign(url + "?x=1", fields)).status_code == 403
    assert post(servers, tampered, twilio.sign(url, fields)).status_code == 403
    assert stored_events(servers, phone) == []

    assert requests.get(servers.url + "/webhooks/twilio/", timeout=10).json() == {"status": "ok"}
    # The same request, signed, is taken.
    assert "detox" in (twilio.reply(post(servers, fields)) or "").lower()
    assert stored_events(servers, phone) != []


@pytest.mark.parametrize(
    "change",
    [
        {"From": []},
        {"Body": []},
        {"From": ["not a phone number"]},
        {"From": [PHONES["fields"], PHONES["second_from"]]},
        {"Body": ["x" * 1601]},
        {"MessageSid": []},
        {"MessageSid": ["SM123"]},
    ],
    ids=[
        "no From",
        "no Body",
        "From not a number",
        "two From",
        "Body too long",
        "no MessageSid",
        "MessageSid not Twilio's",
    ],
)
def test_a_signed_request_with_missing_or_malformed_fields_gets_400(servers: Servers, change: dict):
    fields = Fields({**twilio_fields(PHONES["fields"], "hi"), **change})
    fields = Fields({name: values for name, values in fields.items() if values})
    response = post(servers, fields)
    assert response.status_code == 400
    assert stored_events(servers, PHONES["fields"]) == []


def test_a_signed_json_request_gets_400(servers: Servers):
    url = servers.url + twilio.PATH
    response = requests.post(
        url,
        json={"From": PHONES["fields"], "Body": "hi"},
        headers={"X-Twilio-Signature": twilio.sign(url, Fields())},
        timeout=30,
    )
    assert response.status_code == 400


# --- conversations ---


def test_without_the_public_url_a_request_claiming_another_host_is_refused(servers: Servers):
    """A replayed request signed for a Host it chose: without TWILIO_WEBHOOK_URL
    only requests to this machine are read."""
    claimed = "http://assistant.example.org" + twilio.PATH
    fields = twilio_fields("+15085550139", "hi")
    data = [(name, value) for name, values in fields.items() for value in values]
    response = requests.post(
        servers.url + twilio.PATH,
        data=data,
        headers={
            "Host": "assistant.example.org",
            "X-Twilio-Signature": twilio.sign(claimed, fields),
        },
        timeout=30,
    )
    assert response.status_code == 403
    assert "TWILIO_WEBHOOK_URL" in response.text
    assert stored.stored_events(servers.db, conversation_id("+15085550139")) == []


MAIN_MENU_LINES = [
    "1 Heroin and opioids",
    "2 Detox and withdrawal",
    "3 Medications",
    "4 Therapy",
    "5 Aftercare",
    "6 Lake Avenue Recovery",
    "7 Talk to a person",
]


def test_a_whole_sms_conversation_greeting_menu_digit_and_topic(servers: Servers):
    phone = PHONES["conversation"]
    greeting = text(servers, phone, "hi") or ""
    assert "not a doctor" in greeting and helpline() in greeting
    # One choice a line, after the text.
    assert greeting.splitlines()[-8:] == ["Pick a topic, or type your question:", *MAIN_MENU_LINES]
    # The greeting and a menu of seven areas take one segment more than the
    # target (the center's own area and heroin's joined the menu).
    assert segment_count(greeting) <= SEGMENT_TARGET + 1

    menu = text(servers, phone, "3") or ""
    assert menu.startswith("Medications (MAT)")
    assert menu.splitlines()[1:] == [
        "1 What is MAT?",
        "2 Methadone",
        "3 Buprenorphine (Suboxone)",
        "4 Naltrexone (Vivitrol)",
        "5 Myths about MAT",
        "6 How long people take it",
        "7 Methadone take-homes",
        "8 Drug tests in treatment",
        "9 Pregnancy and MAT",
    ]
    assert segment_count(menu) <= SEGMENT_TARGET

    answer = text(servers, phone, "2") or ""
    assert "methadone" in answer.lower()
    assert not re.search(r"^1 ", answer, re.MULTILINE)  # the SMS variant, without buttons
    assert not re.search(r"[*_`#\[\]]", answer)
    # A curated answer with room left in two segments ends with the way on.
    assert answer.endswith("\nMENU for more")
    assert segment_count(answer) <= SEGMENT_TARGET

    # The digits reached the assistant as the buttons' payloads.
    assert user_intents(servers, phone) == ["greet", "menu_mat", "faq"]

    assert (text(servers, phone, "MENU") or "").startswith("Pick a topic")


def user_events(servers: Servers, phone: str) -> int:
    return sum(1 for kind, _ in stored_events(servers, phone) if kind == "user")


def test_a_number_that_is_no_choice_gets_the_menu_hint(servers: Servers):
    phone = PHONES["wrong_digits"]
    assert (text(servers, phone, "hi") or "").splitlines()[-7:] == MAIN_MENU_LINES
    stored = user_events(servers, phone)
    for digit in ["8", "0", "9"]:
        reply = text(servers, phone, digit) or ""
        assert reply == "Reply 1-7, or MENU"
        assert "I can only" not in reply
    # Answered by the channel: the assistant did not see them...
    assert user_events(servers, phone) == stored
    # ...and the menu still stands: 3 picks from it, then its own menu of 9.
    assert (text(servers, phone, "3") or "").startswith("Medications (MAT)")
    assert text(servers, phone, "12") == "Reply 1-9, or MENU"
    assert (text(servers, phone, "MENU") or "").splitlines()[-7:] == MAIN_MENU_LINES


def test_a_number_with_no_menu_sent_gets_the_menu_hint(servers: Servers):
    phone = PHONES["no_menu"]
    for digit in ["3", "0"]:
        assert text(servers, phone, digit) == "Reply MENU for the menu"
    assert stored_events(servers, phone) == []


@pytest.mark.parametrize("message", ["911", "911!", "0 hes not breathing", "9 he wont wake up"])
def test_an_urgent_message_that_reads_like_a_number_gets_911_first(servers: Servers, message):
    phone = PHONES["urgent_digits"]
    assert text(servers, phone, "hi")  # a menu stands
    reply = text(servers, phone, message) or ""
    assert LINES.findall(reply)[0] == "911", reply
    assert helpline() in reply
    assert "Reply 1-" not in reply and "MENU" not in reply


def test_menu_for_more_only_where_it_fits_two_segments(servers: Servers):
    phone = PHONES["menu_for_more"]
    # "What is detox?" (the SMS answer is 294 characters): with the hint it
    # would need a third segment, so it goes as it is.
    detox = text(servers, phone, "/faq/detox_what_is") or ""
    assert "detox" in detox.lower() and "MENU for more" not in detox
    assert segment_count(detox) <= SEGMENT_TARGET < segment_count(detox + "\nMENU for more")
    insurance = text(servers, phone, "/faq/insurance_and_cost") or ""
    assert insurance.endswith("\nMENU for more")
    assert segment_count(insurance) <= SEGMENT_TARGET
    # Not after anything but a curated answer.
    assert "MENU for more" not in (text(servers, phone, "hi") or "")


def test_an_urgent_sms_gets_911_first_and_no_json(servers: Servers):
    with sqlite3.connect(servers.audit_db) as connection:
        before = connection.execute(
            "SELECT COUNT(*) FROM handoffs WHERE channel = 'twilio'"
        ).fetchone()[0]
    reply = text(servers, PHONES["urgent"], "my friend is not breathing") or ""
    assert reply.startswith("Call 911 now.")
    assert helpline() in reply
    assert not JSON.search(reply)
    # The handoff is counted, as from the SMS channel.
    with sqlite3.connect(servers.audit_db) as connection:
        after = connection.execute(
            "SELECT COUNT(*) FROM handoffs WHERE channel = 'twilio'"
        ).fetchone()[0]
    assert after == before + 1


def test_stop_hes_not_breathing_is_an_emergency_not_an_opt_out(servers: Servers):
    phone = PHONES["stop_not_breathing"]
    reply = text(servers, phone, "stop, he's not breathing") or ""
    assert reply.startswith("Call 911 now.")
    assert user_intents(servers, phone) == ["urgent_overdose"]
    # Not opted out: the next message is answered.
    assert text(servers, phone, "what is detox")


def test_stop_is_silent_and_nothing_is_answered_until_start(servers: Servers):
    phone = PHONES["stop"]
    assert text(servers, phone, "hi")
    stored = stored_events(servers, phone)

    assert text(servers, phone, "STOP") is None
    assert text(servers, phone, "what is detox") is None
    assert text(servers, phone, "MENU") is None
    assert stored_events(servers, phone) == stored  # not even stored

    # Safety beats silence: an urgent message is answered all the same...
    assert "988" in (text(servers, phone, "I want to end it") or "")
    # ...and the opt-out holds for the rest.
    assert text(servers, phone, "what is detox") is None

    assert "again" in (text(servers, phone, "START") or "")
    assert "detox" in (text(servers, phone, "what is detox") or "").lower()

    assert text(servers, phone, "Stop.") is None
    assert text(servers, phone, "what is detox") is None


def assert_carrier_help_content(reply: str) -> None:
    """911, then 988 (call or text), then the helpline; the program's name and
    STOP after them; two segments at most."""
    assert LINES.findall(reply)[:3] == ["911", "988", helpline()], reply
    assert "call or text 988" in reply
    assert center_name() in reply and "STOP" in reply
    assert reply.index(helpline()) < reply.rindex("STOP")
    assert segment_count(reply) <= SEGMENT_TARGET


def test_info_gives_the_help_text_and_help_the_urgent_reply(servers: Servers):
    phone = PHONES["help"]
    info = text(servers, phone, "INFO") or ""
    assert info.startswith("Emergency: call 911.")
    assert_carrier_help_content(info)
    assert stored_events(servers, phone) == []

    # The safety check reads a bare HELP as a plea, before any keyword: 911
    # first, then 988 and the helpline, then what carriers require of HELP.
    plea = text(servers, phone, "HELP") or ""
    assert_carrier_help_content(plea)
    assert "MENU" not in plea
    assert user_intents(servers, phone) == ["urgent_person_now"]


# --- CALL: a call-back request ---

CALLBACKS_LANDED = importlib.util.find_spec("storage.callbacks") is not None


def stored_event_rows(db: Path, phone: str) -> list[tuple[str, dict]]:
    """(type, data) of every stored event of the phone's conversation."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
            (conversation_id(phone),),
        )
        return [(kind, json.loads(data)) for kind, data in rows]


def user_texts(db: Path, phone: str) -> list[str]:
    return [data.get("text") for kind, data in stored_event_rows(db, phone) if kind == "user"]


def assert_number_nowhere(running: Servers, phone: str) -> None:
    """Not in the conversation's events (the tracker store), nor in any log."""
    events = json.dumps([data for _, data in stored_event_rows(running.db, phone)])
    logs = {path.name: path.read_text() for path in running.db.parent.glob("*.log")}
    assert "rasa.log" in logs
    for needle in phone_formats(phone):
        assert needle not in events, f"{needle} in the tracker store"
        for name, log in logs.items():
            assert needle not in log, f"{needle} in {name}"


def test_call_starts_a_call_back_request_and_the_number_reaches_no_event_or_log(
    servers: Servers,
):
    phone = PHONES["callback"]
    assert text(servers, phone, "hi")
    reply = text(servers, phone, "CALL") or ""
    assert reply
    if CALLBACKS_LANDED:
        # Rasa got the form's button payload, never the number, and answered.
        assert user_texts(servers.db, phone)[-1] == "/request_callback"
        assert reply != rendering.callback_unavailable()
    else:
        # storage/callbacks.py is not there yet: the helpline to call instead.
        assert reply == rendering.callback_unavailable()
        assert user_texts(servers.db, phone) == ["hi"]
    assert_number_nowhere(servers, phone)


@pytest.fixture(scope="module")
def servers_with_callbacks(model_path: str, tmp_path_factory) -> Iterator[tuple[Servers, bytes]]:
    """Servers whose call-back queue is on: a key, and the conversations'
    database named by BOT_DB_URL (where the queue keeps its table)."""
    from cryptography.fernet import Fernet

    key = Fernet.generate_key()
    workdir = tmp_path_factory.mktemp("callbacks")
    running = start_servers(
        model_path,
        workdir,
        env={
            "CALLBACK_KEY": key.decode(),
            "BOT_DB_URL": f"sqlite:///{workdir / 'conversations.db'}",
        },
    )
    yield running, key
    running.stop()


def test_call_holds_the_number_encrypted_in_the_call_back_queue(servers_with_callbacks):
    from cryptography.fernet import Fernet

    running, key = servers_with_callbacks
    phone = PHONES["callback_held"]
    assert text(running, phone, "hi")
    assert text(running, phone, "Callback.")
    with sqlite3.connect(running.db) as connection:
        rows = connection.execute("SELECT channel, phone FROM callback_requests").fetchall()
    # Held once, for the SMS channel, encrypted: the key reads it back.
    assert [(channel, Fernet(key).decrypt(token.encode()).decode()) for channel, token in rows] == [
        ("twilio", phone)
    ]
    # The assistant got the button payload; the number is in no event, no log,
    # and nowhere in the database file but encrypted.
    assert user_texts(running.db, phone) == ["hi", "/request_callback"]
    assert_number_nowhere(running, phone)
    database = running.db.read_bytes()
    for needle in phone_formats(phone):
        assert needle.encode() not in database


# --- Twilio's retries: one handling per MessageSid ---


def test_a_replayed_request_gets_the_same_twiml_and_is_handled_once(servers: Servers):
    phone = PHONES["replay"]
    fields = twilio_fields(phone, "what is detox")
    first = post(servers, fields)
    again = post(servers, fields)
    assert first.status_code == again.status_code == 200
    assert "detox" in (twilio.reply(first) or "").lower()
    assert again.text == first.text
    assert again.headers["content-type"] == first.headers["content-type"]
    assert user_events(servers, phone) == 1
    # A new message with the same words is a new message.
    assert text(servers, phone, "what is detox") == twilio.reply(first)
    assert user_events(servers, phone) == 2


def test_a_replayed_stop_stays_silent_and_is_recorded_once(servers: Servers):
    phone = PHONES["replayed_stop"]
    fields = twilio_fields(phone, "STOP")
    assert [twilio.reply(post(servers, fields)) for _ in range(2)] == [None, None]
    assert text(servers, phone, "what is detox") is None


def test_two_identical_requests_at_once_are_handled_once(servers: Servers):
    phone = PHONES["at_once"]
    fields = twilio_fields(phone, "how long does withdrawal last")
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda _: post(servers, fields), range(2)))
    assert [response.status_code for response in responses] == [200, 200]
    assert responses[0].text == responses[1].text
    assert "withdrawal" in (twilio.reply(responses[0]) or "").lower()
    assert user_events(servers, phone) == 1


def test_a_repeat_whose_first_request_never_finished_gets_the_help_lines(servers: Servers):
    """The first request claimed the MessageSid (here, straight in the shared
    database) and died before it answered: the repeat waits, then sends the help lines."""
    phone, sid = PHONES["first_never_done"], message_sid()
    store = SmsMessageIds(str(servers.db))
    assert store.claim(sid)
    store.close()
    response = post(servers, twilio_fields(phone, "what is detox", sid))
    assert response.status_code == 200
    assert twilio.reply(response) == no_reply_text()
    assert response.elapsed.total_seconds() >= REPEAT_WAIT_S
    assert stored_events(servers, phone) == []


# --- no secrets ---


@pytest.fixture(scope="module")
def servers_without_secrets(model_path: str, tmp_path_factory) -> Iterator[Servers]:
    """The server as `make run` starts it on a laptop: no Twilio token, no hash key."""
    running = start_servers(
        model_path,
        tmp_path_factory.mktemp("no-secrets"),
        with_actions=False,
        env={"TWILIO_AUTH_TOKEN": "", "SMS_SENDER_KEY": ""},
    )
    yield running
    running.stop()


def test_without_secrets_the_channel_loads_and_refuses_every_request(
    servers_without_secrets: Servers,
):
    running = servers_without_secrets
    health = requests.get(running.url + "/webhooks/twilio/", timeout=10).json()
    assert health == {"status": "disabled"}
    for _ in range(2):
        response = post(running, twilio_fields(PHONES["disabled"], "hi"))
        assert response.status_code == 403
    log = running.log.read_text()
    assert log.count("SMS channel disabled: TWILIO_AUTH_TOKEN and SMS_SENDER_KEY not set") == 1
    assert stored_events(running, PHONES["disabled"]) == []


# --- last: what the server wrote ---


def phone_formats(phone: str) -> list[str]:
    digits = phone[-10:]
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return [
        phone,
        phone[1:],
        digits,
        f"{area}-{exchange}-{line}",
        f"({area}) {exchange}-{line}",
        f"{area}.{exchange}.{line}",
        f"{area} {exchange} {line}",
        f"{exchange}-{line}",
    ]


def written_files(servers: Servers) -> list[Path]:
    return [path for path in servers.db.parent.rglob("*") if path.is_file()]


def test_no_phone_number_is_stored_or_logged(servers: Servers):
    """Last in this module: checks what every test above wrote, and writes some more."""
    phone = PHONES["privacy"]
    assert text(servers, phone, "hi, call me back at 508-555-0110")
    assert text(servers, phone, "STOP") is None

    files = written_files(servers)
    names = {path.name for path in files}
    assert {"conversations.db", "sms_optouts.db", "rasa.log"} <= names
    contents = {path.name: path.read_bytes() for path in files}
    # The conversation and the opt-out are there, under the hashed id...
    assert conversation_id(phone).encode() in contents["conversations.db"]
    assert conversation_id(phone).encode() in contents["sms_optouts.db"]
    # ...and no number, in any format, nor Twilio's location fields.
    for phone in PHONES.values():
        for needle in phone_formats(phone):
            for name, content in contents.items():
                assert needle.encode() not in content, f"{needle} in {name}"
    # The ZIP as a field value, not as digits inside a float like 0.0160939.
    zip_code = re.compile(rb"(?<![\d.])01609(?!\d)")
    for name, content in contents.items():
        assert b"WORCESTER" not in content and not zip_code.search(content), name
