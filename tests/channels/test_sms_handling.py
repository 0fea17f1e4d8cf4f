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

from center.facts import helpline
from channels.sms import channel
from channels.sms.channel import SmsInput, sender_id
from channels.sms.handling import MENU_PAYLOAD, SmsHandler
from channels.sms.optouts import OptOuts
from safety.pattern_detector import shared_detector
from tests.channels.sms_client import Fields, twilio_fields
from tools.content import ROOT

SENDER = "sms-test"
MENU = [{"title": "Detox", "payload": "/menu_detox"}, {"title": "MAT", "payload": "/menu_mat"}]


class FakeAssistant:
    """Records what reaches the assistant; answers "<answer to ...>". The crisis
    patterns stand in for its safety check (the webhook tests use the real one)."""

    def __init__(self, menu: list[dict[str, Any]]) -> None:
        self.asked: list[str] = []
        self.menu = menu

    async def is_urgent(self, text: str) -> bool:
        return shared_detector().detect(text) is not None

    async def last_menu(self) -> list[dict[str, Any]]:
        return self.menu

    async def ask(self, text: str) -> str:
        self.asked.append(text)
        return f"<answer to {text}>"


@pytest.fixture
def optouts(tmp_path: Path) -> OptOuts:
    return OptOuts(str(tmp_path / "optouts.db"))


@pytest.fixture
def sms(optouts: OptOuts):
    """Sends one text through the handler; returns (reply, what reached the assistant)."""
    handler = SmsHandler(optouts)

    def send(text: str, menu: list[dict[str, Any]] = MENU) -> tuple[str | None, list[str]]:
        assistant = FakeAssistant(menu)
        reply = asyncio.run(handler.answer(SENDER, text, assistant))
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
    assert helpline() in (info or "") and "911" in (info or "") and asked == []
    # The detector reads a bare HELP as a plea: the assistant's urgent reply.
    assert sms("HELP")[1] == ["HELP"]


def test_menu_and_numbers(sms):
    assert sms("Menu")[1] == [MENU_PAYLOAD]
    assert sms("2")[1] == ["/menu_mat"]
    assert sms(" 1. ")[1] == ["/menu_detox"]
    # Out of range or no menu: the text as it is.
    assert sms("3")[1] == ["3"]
    assert sms("1", menu=[])[1] == ["1"]


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
