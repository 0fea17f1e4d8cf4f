"""The call-back form end to end: real servers on loopback, over REST and SMS.

A Rasa server and an action server (tools/local_servers.py) with their own
database, a call-back key, and an SMTP server on loopback (aiosmtpd) that
catches the staff emails. What must hold: the form asks question by question
and saves the request; staff get one email with the request alone, also when
the mail server was down at first; the number is in no conversation, log or
reply; urgent messages win inside the form; cancel works; on SMS the number
is not asked; with the action server stopped, people are given the helpline.
"""

import email
import json
import sqlite3
import time
from email import policy
from pathlib import Path

import aiosmtpd.controller as controller
import pytest
from cryptography.fernet import Fernet

from center.facts import helpline
from channels.sms.channel import sender_id as sms_sender_id
from storage.callbacks import CallbackQueue
from tests.channels.sms_client import text as sms
from tests.conftest import say
from tests.replies import texts
from tests.waiting import wait_until
from tools.local_servers import TEST_ENV, Servers, free_port, start_servers

KEY = Fernet.generate_key().decode()
STAFF = "intake@lakeavenue.example"
NUMBER = "508 555 0134"
# Every way the number could be written down.
NUMBER_SPELLINGS = ["5085550134", "508 555 0134", "508-555-0134", "(508) 555-0134", "555 0134"]
SMS_PHONE = "+16175550199"


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 20) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return self.messages


class MailServer:
    """An SMTP server on a fixed loopback port, started and stopped at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller = None

    def start(self) -> None:
        if self._controller is None:
            self._controller = controller.Controller(
                self.inbox, hostname="127.0.0.1", port=self.port
            )
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture(scope="module")
def mail() -> MailServer:
    server = MailServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def servers(model_path: str, tmp_path_factory, mail: MailServer) -> Servers:
    workdir = tmp_path_factory.mktemp("callback-servers")
    db = workdir / "conversations.db"
    env = {
        "BOT_DB_URL": f"sqlite:///{db}",
        "CALLBACK_KEY": KEY,
        "SMTP_URL": f"smtp://127.0.0.1:{mail.port}",
        "STAFF_EMAIL": STAFF,
        "CALLBACK_RETRY_SECONDS": "1",
    }
    running = start_servers(model_path, workdir, env=env, db=db)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def queue(servers: Servers) -> CallbackQueue:
    q = CallbackQueue(f"sqlite:///{servers.db}", [KEY.encode()])
    yield q
    q.close()


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def handoffs(replies: list[dict]) -> list[dict]:
    return [r["custom"] for r in replies if r.get("custom")]


def start_form(servers: Servers, sender: str) -> list[dict]:
    offer = say(servers, sender, "talk to a person")
    assert "/request_callback" in payloads(offer)
    replies = say(servers, sender, "/request_callback")
    assert "we keep your first name, number" in texts(replies)
    assert "first name or nickname" in texts(replies)
    return replies


def test_talk_to_a_person_offers_to_call_now_or_call_back(servers):
    replies = say(servers, "offer", "talk to a person")
    assert handoffs(replies) == [{"handoff": True, "reason": "human"}]
    assert helpline() in texts(replies)
    assert payloads(replies) == ["/call_helpline", "/request_callback"]


@pytest.mark.parametrize(
    "typed",
    ["can someone call me back", "i'd like a call back tomorrow", "me pueden devolver la llamada"],
)
def test_a_typed_call_back_request_reaches_the_form(servers, typed: str):
    """Typed, not tapped: the form starts, or, where the words could be a plea
    for someone now, the check-in asks first, and "I'm safe" offers a person."""
    sender = f"typed-{len(typed)}"
    replies = say(servers, sender, typed)
    if [r for r in handoffs(replies) if r.get("check_in")]:
        replies = say(servers, sender, "/check_in_safe")
        assert "/request_human" in payloads(replies)
        assert "/request_callback" in payloads(say(servers, sender, "/request_human"))
        replies = say(servers, sender, "/request_callback")
    assert not [r for r in handoffs(replies) if r.get("handoff")]
    asked = texts(replies).lower()
    assert "first name or nickname" in asked or "nombre" in asked, asked


def test_the_form_over_rest_from_start_to_end(servers, mail, queue):
    mail.start()
    sender = "rest-callback-1"
    replies = start_form(servers, sender)
    assert payloads(replies) == ["/deny"]  # Skip
    assert "What number should we call?" in texts(say(servers, sender, "its jen"))
    replies = say(servers, sender, f"my cell is {NUMBER}")
    assert "When is a good time" in texts(replies)
    assert payloads(replies) == [
        "/callback_window_now",
        "/callback_window_today",
        "/callback_window_tomorrow_morning",
        "/callback_window_tomorrow_afternoon",
        "/callback_window_tomorrow_evening",
    ]
    replies = say(servers, sender, "/callback_window_tomorrow_morning")
    assert "voicemail" in texts(replies) and payloads(replies) == ["/affirm", "/deny"]
    assert "text message" in texts(say(servers, sender, "yes"))
    confirmation = texts(say(servers, sender, "no"))
    assert confirmation.startswith("Thank you, Jen. Your call-back request is saved.")
    assert "tomorrow morning" in confirmation and helpline() in confirmation
    assert "hours" not in confirmation  # none are filled in

    [request] = [r for r in queue.open_requests() if r.name == "Jen"]
    assert (request.phone, request.window, request.voicemail, request.text_ok) == (
        "+15085550134",
        "tomorrow_morning",
        True,
        False,
    )
    assert request.channel == "rest"

    [message] = mail.inbox.wait_for(1)
    body = message.get_content()
    assert message["Subject"] == f"Call-back request #{request.id}"
    assert "Name:       Jen" in body and "Number:     (508) 555-0134" in body
    assert "When:       tomorrow morning" in body and "Channel:    website (REST)" in body
    # The request alone: nothing the person wrote but the answers themselves.
    assert "my cell is" not in body and sender not in message.as_string()
    assert wait_until(lambda: queue.request(request.id).delivered_at is not None)

    # The conversation was stored with the number redacted, and no event holds it.
    stored = stored_texts(servers.db, sender)
    assert "my cell is [phone]" in stored
    assert ("slot", "callback_number_held", True) in slot_events(servers.db, sender)
    assert_number_nowhere(servers)


def test_mail_server_down_then_up_the_request_is_emailed_once(servers, mail, queue):
    mail.stop()
    before = len(mail.inbox.messages)
    sender = "rest-callback-2"
    start_form(servers, sender)
    for answer in ["/deny", "617 555 0123", "/callback_window_now", "/deny"]:
        say(servers, sender, answer)
    confirmation = texts(say(servers, sender, "/affirm"))
    # Saved, whatever the mail server does; and the helpline, for now.
    assert "Your call-back request is saved." in confirmation
    assert "as soon as they can" in confirmation and helpline() in confirmation
    [request] = [r for r in queue.open_requests() if r.phone == "+16175550123"]
    time.sleep(3)  # retries every second, and fail
    assert queue.request(request.id).delivered_at is None
    mail.start()
    assert len(mail.inbox.wait_for(before + 1)) == before + 1
    assert wait_until(lambda: queue.request(request.id).delivered_at is not None)
    time.sleep(3)  # more retries: nothing more to send
    subjects = [m["Subject"] for m in mail.inbox.messages]
    assert subjects.count(f"Call-back request #{request.id}") == 1
    assert "Name:       (not given)" in mail.inbox.messages[-1].get_content()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("my friend is not breathing", {"handoff": True, "reason": "overdose"}),
        ("/urgent_medical", {"handoff": True, "reason": "medical"}),
        ("i want to kill myself", {"handoff": True, "reason": "suicide"}),
        ("/urgent_danger", {"handoff": True, "reason": "danger"}),
        ("/urgent_about_to_use", {"handoff": True, "reason": "about_to_use"}),
        ("/urgent_person_now", {"handoff": True, "reason": "person_now"}),
        ("/check_in", {"check_in": True, "reason": "unclear"}),
    ],
)
def test_an_urgent_message_in_the_form_gets_the_handoff_and_ends_the_form(
    servers, message, expected
):
    sender = f"urgent-in-form-{expected['reason']}-{len(message)}"
    start_form(servers, sender)
    say(servers, sender, "Sam")  # now at the number question
    replies = say(servers, sender, message)
    assert handoffs(replies) == [expected]
    assert "number" not in texts(replies).lower()  # the form asks nothing more
    if "check_in" in expected:
        # On SMS "1" must stay "I need help now": the check-in is the last menu.
        assert payloads(replies) == ["/urgent_person_now", "/check_in_safe"]
    # The form is over: a greeting is a greeting, not an answer.
    replies = say(servers, sender, "hi")
    assert "not a doctor" in texts(replies) and "number" not in texts(replies).lower()


def test_cancel_at_any_step_deletes_the_number_given(servers, queue):
    sender = "cancel-in-form"
    start_form(servers, sender)
    say(servers, sender, "Sam")
    say(servers, sender, "774-555-0190")
    assert queue.has_held_number(sender)
    replies = say(servers, sender, "never mind")
    assert "cancelled the call-back request" in texts(replies) and helpline() in texts(replies)
    assert wait_until(lambda: not queue.has_held_number(sender))
    assert "not a doctor" in texts(say(servers, sender, "hi"))


def test_a_question_in_the_form_is_answered_and_the_form_asks_again(servers):
    sender = "digression-in-form"
    start_form(servers, sender)
    say(servers, sender, "/deny")
    say(servers, sender, "413 555 0163")
    replies = say(servers, sender, "/faq/mat_methadone")
    assert "methadone" in texts(replies).lower()
    assert "When is a good time" in texts(replies)
    replies = say(servers, sender, "hmm dunno")
    assert "didn't catch the time" in texts(replies) and "When is a good time" in texts(replies)
    assert "cancelled" in texts(say(servers, sender, "cancel"))


def test_an_unreadable_number_is_asked_again_without_repeating_it(servers, queue):
    sender = "bad-number"
    start_form(servers, sender)
    say(servers, sender, "skip")
    replies = say(servers, sender, "508 55")
    assert "couldn't read a phone number" in texts(replies)
    assert "What number should we call?" in texts(replies)
    assert "508" not in texts(replies)
    assert not queue.has_held_number(sender)
    say(servers, sender, "cancel")


def test_on_sms_the_number_the_channel_knows_is_not_asked(servers, queue):
    # What the SMS channel does before it sends /request_callback.
    sender = sms_sender_id(SMS_PHONE, TEST_ENV["SMS_SENDER_KEY"])
    offer = sms(servers, SMS_PHONE, "talk to a person")
    assert "Ask for a call back" in offer  # its only choice, "1"
    queue.hold_number(sender, SMS_PHONE, "twilio")
    reply = sms(servers, SMS_PHONE, "1")
    assert "we keep your name, number" in reply and "nickname" in reply
    reply = sms(servers, SMS_PHONE, "Sam")
    assert "When is a good time" in reply and "What number" not in reply
    for answer in ["3", "2"]:  # tomorrow morning; no voicemail
        sms(servers, SMS_PHONE, answer)
    reply = sms(servers, SMS_PHONE, "1")  # texts are fine
    assert "Your call-back request is saved." in reply
    [request] = [r for r in queue.open_requests() if r.phone == SMS_PHONE]
    assert (request.name, request.channel, request.window) == ("Sam", "twilio", "tomorrow_morning")
    assert (request.voicemail, request.text_ok) == (False, True)


def test_with_the_action_server_stopped_people_are_given_the_helpline(servers):
    """Last in this module: it stops the action server."""
    at_name, at_number, urgent = "stopped-at-name", "stopped-at-number", "stopped-urgent"
    for sender in (at_name, at_number, urgent):
        start_form(servers, sender)
    for sender in (at_number, urgent):
        say(servers, sender, "Jen")
    servers.action_process.terminate()
    servers.action_process.wait(timeout=20)

    # An answer cannot be read: the helpline, and the form ends.
    replies = say(servers, at_name, "its jen")
    assert "can't take a call-back request right now" in texts(replies)
    assert helpline() in texts(replies)
    assert "not a doctor" in texts(say(servers, at_name, "hi"))

    # A number typed now reads as unclear risk to the safety check (it has no
    # question to read it against): with no action server to take it as the
    # answer, the check-in answers (911 and 988), and the form ends.
    replies = say(servers, at_number, NUMBER)
    assert [c.get("check_in") for c in handoffs(replies)] == [True]
    assert "safe" in texts(say(servers, at_number, "/check_in_safe"))

    # Urgent still wins inside the form, with no action server at all.
    replies = say(servers, urgent, "my friend is not breathing")
    assert handoffs(replies) == [{"handoff": True, "reason": "overdose"}]

    # No form starts: the channel's never-silent reply names the helpline.
    replies = say(servers, "stopped-new", "/request_callback")
    assert helpline() in texts(replies) and "911" in texts(replies)
    assert "nickname" not in texts(replies)

    # Nothing was kept of the number typed while the action server was down.
    assert_number_nowhere(servers)


# --- what was stored and logged ---


def stored_texts(db: Path, sender: str) -> str:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return " ".join(row[0] for row in rows)


def slot_events(db: Path, sender: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot'", (sender,)
        ).fetchall()
    return [("slot", e["name"], e["value"]) for e in (json.loads(r[0]) for r in rows)]


def assert_number_nowhere(servers: Servers) -> None:
    """Not in the database file (conversations, queue: encrypted), nor in any log."""
    places = {
        "database": servers.db.read_bytes().decode("latin-1"),
        "rasa log": servers.log.read_text(errors="replace"),
        "action server log": (servers.log.parent / "actions.log").read_text(errors="replace"),
    }
    for place, content in places.items():
        for spelling in NUMBER_SPELLINGS:
            assert spelling not in content, f"{spelling!r} in the {place}"
