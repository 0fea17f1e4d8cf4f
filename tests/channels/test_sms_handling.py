"""What an SMS gets, and who it is from, without a server: the safety check,
keywords, opt-outs, menu numbers, hashing, request fields and signatures."""

import asyncio
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from twilio.request_validator import RequestValidator

from center.facts import center_name, helpline
from channels.sms import channel, rendering
from channels.sms.channel import SmsInput, sender_id
from channels.sms.handling import CALLBACK_PAYLOAD, MENU_PAYLOAD, SmsHandler
from channels.sms.optouts import OptOuts
from safety.pattern_detector import shared_detector
from tests.channels.sms_client import Fields, twilio_fields
from tools.content import ROOT

SENDER = "sms-test"
PHONE = "+15085550170"
MENU = [{"title": "Detox", "payload": "/menu_detox"}, {"title": "MAT", "payload": "/menu_mat"}]


class FakeAssistant:
    """Records what reaches the assistant and what its safety check read;
    answers "<answer to ...>". The crisis patterns stand in for its safety
    check (the webhook tests use the real one), and `urgent` adds to them."""

    def __init__(self, menu: list[dict[str, Any]] | None, urgent: set[str] = frozenset()) -> None:
        self.asked: list[str] = []
        self.checked: list[str] = []
        self.menu = menu
        self.urgent = urgent

    async def is_urgent(self, text: str) -> bool:
        self.checked.append(text)
        return text in self.urgent or shared_detector().detect(text) is not None

    async def last_menu(self) -> list[dict[str, Any]] | None:
        return self.menu

    async def ask(self, text: str) -> str:
        self.asked.append(text)
        return f"<answer to {text}>"


@pytest.fixture
def optouts(tmp_path: Path) -> OptOuts:
    return OptOuts(str(tmp_path / "optouts.db"))


class FakeQueue:
    """The call-back queue's interface (storage.callbacks.CallbackQueue), recording."""

    def __init__(self) -> None:
        self.held: list[tuple[str, str, str]] = []

    def hold_number(self, sender_id: str, phone: str, channel: str) -> None:
        self.held.append((sender_id, phone, channel))


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def sms(optouts: OptOuts, queue: FakeQueue):
    """Sends one text through the handler; returns (reply, what reached the assistant)."""
    handler = SmsHandler(optouts, callback_queue=lambda: queue)

    def send(
        text: str, menu: list[dict[str, Any]] | None = MENU, urgent: set[str] = frozenset()
    ) -> tuple[str | None, list[str]]:
        assistant = FakeAssistant(menu, urgent)
        reply = asyncio.run(handler.answer(SENDER, text, assistant, PHONE))
        return reply, assistant.asked

    return send


@pytest.mark.parametrize("text", ["stop, he's not breathing", "I want to end it", "END it all"])
def test_urgent_messages_go_to_the_assistant_before_any_keyword(sms, optouts, text):
    assert sms(text) == (f"<answer to {text}>", [text])
    assert not optouts.is_opted_out(SENDER)


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]
)
def test_opt_out_is_silent_and_recorded(sms, optouts, word):
    assert sms(word) == (None, [])
    assert optouts.is_opted_out(SENDER)


def test_an_opted_out_number_gets_only_urgent_replies_help_and_start(sms, optouts):
    sms("STOP")
    for text in ["what is detox", "MENU", "2", ""]:
        assert sms(text) == (None, [])
    assert sms("my friend is not breathing")[1] == ["my friend is not breathing"]
    assert helpline() in (sms("INFO")[0] or "")
    assert optouts.is_opted_out(SENDER)

    reply, asked = sms("UNSTOP")
    assert "again" in (reply or "") and asked == []
    assert not optouts.is_opted_out(SENDER)
    assert sms("what is detox")[1] == ["what is detox"]


def test_yes_opts_in_only_an_opted_out_number(sms, optouts):
    assert sms("yes")[1] == ["yes"]
    sms("STOP")
    reply, asked = sms("YES")
    assert "again" in (reply or "") and asked == []
    assert not optouts.is_opted_out(SENDER)


def test_help_words(sms):
    info, asked = sms("info")
    assert info == rendering.help_text() and asked == []
    # The detector reads a bare HELP as a plea: the assistant's urgent reply,
    # then what carriers require of a HELP reply.
    reply, asked = sms("HELP")
    assert asked == ["HELP"]
    assert (reply or "").startswith("<answer to HELP>\n")
    assert center_name() in (reply or "") and "STOP" in (reply or "")


def test_menu_and_numbers(sms):
    assert sms("Menu")[1] == [MENU_PAYLOAD]
    assert sms("2")[1] == ["/menu_mat"]
    assert sms(" 1. ")[1] == ["/menu_detox"]
    assert sms("02")[1] == ["/menu_mat"]


MAIN_MENU = [{"title": f"Topic {n}", "payload": f"/menu_{n}"} for n in range(1, 6)]


@pytest.mark.parametrize("digit", ["6", "0", "9", "00", "12", "9."])
def test_a_number_that_is_no_choice_gets_the_menu_hint_after_the_safety_check(digit):
    handler = SmsHandler(OptOuts(":memory:"))
    assistant = FakeAssistant(MAIN_MENU)
    reply = asyncio.run(handler.answer(SENDER, digit, assistant))
    assert reply == "Reply 1-5, or MENU"
    assert assistant.checked == [digit] and assistant.asked == []


def test_the_hint_names_the_last_menus_size(sms):
    assert sms("3") == ("Reply 1-2, or MENU", [])
    assert sms("2", menu=MENU[:1]) == ("Reply 1, or MENU", [])


@pytest.mark.parametrize("digit", ["1", "6", "0"])
def test_a_number_with_no_menu_sent_gets_the_menu_hint(sms, digit):
    assert sms(digit, menu=[]) == ("Reply MENU for the menu", [])


@pytest.mark.parametrize("digit", ["9", "1", "0"])
def test_an_urgent_message_that_reads_as_a_number_gets_the_urgent_reply(sms, digit):
    """The safety check reads every number first: one it hands off is answered
    by the assistant (its urgent reply), never with a menu hint or a choice."""
    assert sms(digit, urgent={digit}) == (f"<answer to {digit}>", [digit])
    assert sms(digit, menu=[], urgent={digit}) == (f"<answer to {digit}>", [digit])


def test_while_a_form_asks_without_buttons_a_number_is_its_answer(sms):
    # last_menu() is None: the form's question reads "9" (9 o'clock) itself.
    assert sms("9", menu=None) == ("<answer to 9>", ["9"])


def test_urgent_messages_that_start_with_a_number_reach_the_assistant(sms):
    """Not numbers to the channel, and urgent: the assistant answers them."""
    for text in ["9 he is not breathing", "0 hes not breathing", "911"]:
        assert sms(text, menu=[])[1] == [text]


# --- CALL: a call-back request ---


@pytest.mark.parametrize(
    "text", ["CALL", "call", "Call me", "CALL ME.", "callback", "Call back!", "call me back"]
)
def test_call_holds_the_number_and_starts_the_form_without_it(sms, queue, text):
    reply, asked = sms(text)
    assert queue.held == [(SENDER, PHONE, "twilio")]
    assert asked == [CALLBACK_PAYLOAD]  # the payload, never the number
    assert reply == f"<answer to {CALLBACK_PAYLOAD}>"


def test_a_menus_call_back_choice_holds_the_number_too(sms, queue):
    menu = [*MENU, {"title": "Ask for a call back", "payload": CALLBACK_PAYLOAD}]
    assert sms("3", menu=menu) == (f"<answer to {CALLBACK_PAYLOAD}>", [CALLBACK_PAYLOAD])
    assert sms(CALLBACK_PAYLOAD) == (f"<answer to {CALLBACK_PAYLOAD}>", [CALLBACK_PAYLOAD])
    assert queue.held == [(SENDER, PHONE, "twilio")] * 2


def test_a_menus_call_the_helpline_choice_asks_the_assistant_and_holds_no_number(sms, queue):
    # "Call the helpline" (/call_helpline) is calling now, not a call back: the
    # assistant answers it (911 first, then the helpline), and no number is kept.
    menu = [*MENU, {"title": "Call the helpline", "payload": "/call_helpline"}]
    assert sms("3", menu=menu) == ("<answer to /call_helpline>", ["/call_helpline"])
    assert queue.held == []


def test_the_safety_check_runs_before_call(sms, queue):
    assert sms("Call me!", urgent={"Call me!"}) == ("<answer to Call me!>", ["Call me!"])
    assert queue.held == []


def test_an_opted_out_number_that_texts_call_gets_no_reply_and_is_not_held(sms, queue):
    sms("STOP")
    assert sms("CALL") == (None, [])
    assert queue.held == []


def test_without_the_call_back_queue_call_gets_the_helpline(optouts, caplog):
    def unavailable():
        raise RuntimeError("CALLBACK_KEY is not set")

    handler = SmsHandler(optouts, callback_queue=unavailable)
    assistant = FakeAssistant(MENU)
    reply = asyncio.run(handler.answer(SENDER, "CALL", assistant, PHONE))
    assert reply == rendering.callback_unavailable()
    assert helpline() in reply and "911" in reply
    assert assistant.asked == []
    assert "Could not hold the number" in caplog.text
    assert PHONE not in caplog.text


class FailingQueue:
    def __init__(self) -> None:
        self.tries = 0

    def hold_number(self, sender_id: str, phone: str, channel: str) -> None:
        self.tries += 1
        if self.tries == 1:
            raise RuntimeError(f"INSERT failed for {phone}")


def test_when_the_number_cannot_be_held_call_gets_the_helpline_and_no_log_has_it(optouts, caplog):
    failing, opened = FailingQueue(), []

    def open_queue() -> FailingQueue:
        opened.append(True)
        return failing

    handler = SmsHandler(optouts, callback_queue=open_queue)
    assistant = FakeAssistant(MENU)
    with caplog.at_level(logging.DEBUG):
        first = asyncio.run(handler.answer(SENDER, "CALL", assistant, PHONE))
    assert first == rendering.callback_unavailable() and assistant.asked == []
    assert "RuntimeError" in caplog.text
    assert PHONE not in caplog.text and PHONE[2:] not in caplog.text
    # Opened afresh the next time, and then it works.
    assert asyncio.run(handler.answer(SENDER, "CALL", assistant, PHONE)) == (
        f"<answer to {CALLBACK_PAYLOAD}>"
    )
    assert len(opened) == 2


class AsyncQueue(FakeQueue):
    async def hold_number(self, sender_id: str, phone: str, channel: str) -> None:
        await asyncio.sleep(0)
        super().hold_number(sender_id, phone, channel)


def test_a_queue_whose_hold_number_is_a_coroutine_is_awaited(optouts):
    queue = AsyncQueue()
    handler = SmsHandler(optouts, callback_queue=lambda: queue)
    asyncio.run(handler.answer(SENDER, "call me", FakeAssistant(MENU), PHONE))
    assert queue.held == [(SENDER, PHONE, "twilio")]


def test_a_message_without_text_gets_a_hint(sms):
    reply, asked = sms("")
    assert "text" in (reply or "") and helpline() in (reply or "") and asked == []


class BrokenAssistant(FakeAssistant):
    async def ask(self, text: str) -> str:
        raise RuntimeError("the tracker store is down")


class HungAssistant(FakeAssistant):
    async def ask(self, text: str) -> str:
        await asyncio.sleep(60)
        return "too late"


class SilentAssistant(FakeAssistant):
    async def ask(self, text: str) -> str:
        return ""


@pytest.mark.parametrize("assistant", [BrokenAssistant, HungAssistant, SilentAssistant])
@pytest.mark.parametrize("text", ["what is detox", "my friend is not breathing"])
def test_when_the_assistant_fails_hangs_or_is_silent_the_reply_is_the_help_lines(
    optouts, assistant, text
):
    handler = SmsHandler(optouts, deadline_s=0.1)
    reply = asyncio.run(handler.answer(SENDER, text, assistant(MENU))) or ""
    assert "911" in reply and "988" in reply and helpline() in reply


def test_opt_outs_are_kept_by_hash_and_survive_a_restart(tmp_path: Path):
    db = tmp_path / "optouts.db"
    OptOuts(str(db)).opt_out(SENDER)
    OptOuts(str(db)).opt_out(SENDER)
    assert OptOuts(str(db)).is_opted_out(SENDER)
    assert not OptOuts(str(db)).is_opted_out("sms-other")
    OptOuts(f"sqlite:///{db}").opt_in(SENDER)
    assert not OptOuts(str(db)).is_opted_out(SENDER)


def test_sender_ids_are_keyed_hashes_of_the_number():
    one = sender_id("+15085550123", "key-one")
    assert one.startswith("sms-") and len(one) == 4 + 64
    assert "5085550123" not in one
    assert sender_id("+1 508 555 0123", "key-one") == one
    assert sender_id("+15085550123", "key-two") != one
    assert sender_id("+15085550124", "key-one") != one


# --- the request ---


def request(fields: Fields | None = None, **kwargs: Any) -> SimpleNamespace:
    """Just what the channel reads of a Sanic request."""
    body = "&".join(
        f"{name}={value}" for name, values in (fields or {}).items() for value in values
    )
    values = {
        "headers": {"content-type": "application/x-www-form-urlencoded"},
        "body": body.encode(),
        "url": "http://127.0.0.1:5005/webhooks/twilio/webhook",
        "host": "127.0.0.1:5005",
        "query_string": "",
        **kwargs,
    }
    return SimpleNamespace(**values)


SID = "SM" + "0123456789abcdef" * 2


def test_the_form_keeps_blank_values_and_ignores_other_content():
    form = channel.read_form(
        request(Fields({"From": ["15085550123"], "Body": [""], "MessageSid": [SID]}))
    )
    assert channel.parse_sms(form) == channel.InboundSms(
        phone="15085550123", body="", message_sid=SID
    )
    assert channel.read_form(request(headers={"content-type": "application/json"})) == {}


@pytest.mark.parametrize(
    "fields",
    [
        {"Body": ["hi"], "MessageSid": [SID]},
        {"From": ["+15085550123"], "MessageSid": [SID]},
        {"From": ["+15085550123", "+15085550124"], "Body": ["hi"], "MessageSid": [SID]},
        {"From": ["<script>"], "Body": ["hi"], "MessageSid": [SID]},
        {"From": ["+15085550123"], "Body": ["x" * 1601], "MessageSid": [SID]},
        {"From": ["+15085550123"], "Body": ["hi"]},
        {"From": ["+15085550123"], "Body": ["hi"], "MessageSid": [SID, "MM" + SID[2:]]},
        *[
            {"From": ["+15085550123"], "Body": ["hi"], "MessageSid": [sid]}
            for sid in ["", "SM123", SID + "0", "AC" + SID[2:], SID.upper(), "SM" + "g" * 32]
        ],
    ],
)
def test_missing_or_malformed_fields_are_bad_requests(fields):
    with pytest.raises(channel.BadRequest):
        channel.parse_sms(channel.read_form(request(Fields(fields))))


def test_a_message_id_is_twilios_sm_or_mm_and_32_hex_digits():
    for sid in [SID, "MM" + SID[2:]]:
        fields = Fields({"From": ["+15085550123"], "Body": ["hi"], "MessageSid": [sid]})
        assert channel.parse_sms(channel.read_form(request(fields))).message_sid == sid


def test_signatures():
    token = "secret-token"
    fields = twilio_fields("+15085550123", "hi")
    public = "https://assistant.example.org/webhooks/twilio/webhook"
    good = RequestValidator(token).compute_signature(public, fields)
    behind_proxy = request(fields, headers={channel.SIGNATURE_HEADER: good})
    form = Fields({name: values for name, values in fields.items()})

    assert channel.is_signed(behind_proxy, form, token, public)
    assert not channel.is_signed(behind_proxy, form, token, None)  # the proxy's URL
    assert not channel.is_signed(behind_proxy, form, "other-token", public)
    assert not channel.is_signed(request(fields), form, token, public)  # no header

    with_query = request(fields, headers={channel.SIGNATURE_HEADER: good}, query_string="a=1")
    assert channel.signed_url(with_query, public) == public + "?a=1"
    assert not channel.is_signed(with_query, form, token, public)


# --- loading ---


def sms_credentials() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "credentials.yml").read_text())["channels.sms.channel.SmsInput"]


def test_without_secrets_the_channel_loads_and_says_why_once(monkeypatch, caplog):
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    monkeypatch.setenv("SMS_SENDER_KEY", "  ")
    with caplog.at_level(logging.WARNING, logger="channels.sms.channel"):
        sms_input = SmsInput.from_credentials(sms_credentials())
    assert sms_input.name() == "twilio"
    assert sms_input.get_output_channel() is None
    assert [r.getMessage() for r in caplog.records] == [
        "SMS channel disabled: TWILIO_AUTH_TOKEN and SMS_SENDER_KEY not set, "
        "so every request to /webhooks/twilio/webhook gets 403."
    ]


def test_with_secrets_the_channel_takes_its_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "token")
    monkeypatch.setenv("SMS_SENDER_KEY", "key")
    monkeypatch.setenv(
        "TWILIO_WEBHOOK_URL", "https://assistant.example.org/webhooks/twilio/webhook"
    )
    monkeypatch.setenv("SMS_OPTOUT_DB", str(tmp_path / "optouts.db"))
    sms_input = SmsInput.from_credentials(sms_credentials())
    assert sms_input.auth_token == "token"
    assert (tmp_path / "optouts.db").exists()
