"""SMS through Twilio at /webhooks/twilio/webhook: the webhook, up to the point
where a checked message from a hashed sender is handed to handling.py.

Rasa's TwilioInput, keeping its name ("twilio", for the `channel: twilio`
response variants), changed where a crisis line over SMS needs it:
- every request must carry a valid X-Twilio-Signature (`is_signed`); an
  unsigned or wrongly signed one gets 403 and is not read further; a signed
  one with missing or malformed fields gets 400 (`parse_sms`);
- the reply is the webhook's TwiML response, not an API call (rendering.py);
- the conversation id is a keyed hash of the number (`sender_id`), and no
  Twilio field is passed on as metadata, so the number never reaches Rasa;
  handling.py gives it only to the call-back queue, when the person texts CALL;
- the safety check, then the keywords and opt-outs, decide what is answered,
  once per MessageSid however often Twilio retries (handling.py).
Without TWILIO_AUTH_TOKEN or SMS_SENDER_KEY the channel loads but refuses
every request, so the server runs without secrets.
"""

import hashlib
import hmac
import ipaddress
import logging
import os
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels.never_silent import never_silent
from channels.safe_input import clean_text, tolerate_malformed_accept
from channels.sms.handling import RasaConversation, SmsHandler
from storage.sms_message_ids import SmsMessageIds

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/twilio/webhook"
TWIML_TYPE = "application/xml"


# --- settings ---
#
# Read from the environment variables that credentials.yml names. The secrets
# may be missing (a laptop running `make run`): the channel then still loads,
# and `missing` says which ones, so every request is refused.

# Opt-outs go to a SQLite file beside the conversations unless the
# environment names another database.
DEFAULT_OPTOUT_DB = "var/sms_optouts.db"


@dataclass(frozen=True)
class SmsSettings:
    auth_token: str | None
    sender_key: str | None
    # The webhook's URL as Twilio calls it, when a proxy stands in front of
    # the server; None: the URL the request arrived at.
    public_url: str | None
    optout_db: str
    # The variable names, to say which secret is missing.
    auth_token_env: str
    sender_key_env: str
    public_url_env: str
    optout_db_env: str

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any]) -> "SmsSettings":
        def env(key: str) -> str | None:
            return os.environ.get(credentials[key], "").strip() or None

        return cls(
            auth_token=env("auth_token_env"),
            sender_key=env("sender_key_env"),
            public_url=env("public_url_env"),
            optout_db=env("optout_db_env") or DEFAULT_OPTOUT_DB,
            auth_token_env=credentials["auth_token_env"],
            sender_key_env=credentials["sender_key_env"],
            public_url_env=credentials["public_url_env"],
            optout_db_env=credentials["optout_db_env"],
        )

    @property
    def missing(self) -> list[str]:
        """The secrets without which no request can be trusted or stored."""
        return [
            name
            for name, value in (
                (self.auth_token_env, self.auth_token),
                (self.sender_key_env, self.sender_key),
            )
            if not value
        ]


# --- is this request from Twilio? The X-Twilio-Signature check ---
#
# Twilio signs the URL it called plus the form fields with the account's auth
# token. Behind a proxy the server sees another URL than Twilio called, so the
# public URL is configurable (TWILIO_WEBHOOK_URL). Without it the URL is built
# from the Host the request claims, which a replayed request can choose: so
# then only requests to a loopback host (a server tried on this machine) are
# checked at all, and any other is refused.

SIGNATURE_HEADER = "X-Twilio-Signature"


def signed_url(request: Request, public_url: str | None) -> str:
    """The URL Twilio signed: the public one with this request's query string."""
    if not public_url:
        return request.url
    return f"{public_url}?{request.query_string}" if request.query_string else public_url


def _loopback(host: str) -> bool:
    name = urlsplit(f"//{host}").hostname or ""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def trusts_host(request: Request, public_url: str | None) -> bool:
    """Whether the signed URL can be trusted: the public one is set, or the
    request is to this machine."""
    return bool(public_url) or _loopback(request.host or "")


def is_signed(
    request: Request, fields: RequestParameters, auth_token: str, public_url: str | None
) -> bool:
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature or not trusts_host(request, public_url):
        return False
    return RequestValidator(auth_token).validate(signed_url(request, public_url), fields, signature)


# --- Twilio's webhook form, read as Twilio sent it, and the fields the channel uses ---
#
# Sanic's own `request.form` drops blank values, but Twilio signs them too: a
# picture sent without text arrives with `Body=` and must still pass the
# signature check. So the form is parsed here, keeping blanks.
#
# A signed request that lacks a field, repeats it, or carries a From that is no
# phone number or a MessageSid that is no Twilio message id is a client error
# (400), never a crash.

FORM_TYPE = "application/x-www-form-urlencoded"
# E.164 ("+15085550123") or a short code ("12345"), optionally behind a
# channel prefix as Twilio writes it for WhatsApp ("whatsapp:+1...").
_PHONE = re.compile(r"^(?:[a-z]{1,16}:)?\+?[0-9]{3,15}$")
# Twilio's id of the message, SM (text) or MM (with media) and 32 hex digits:
# a retried request carries the same one (handling.py answers it once).
_MESSAGE_SID = re.compile(r"^(?:SM|MM)[0-9a-f]{32}$")
# Twilio's own limit on a message body.
MAX_BODY_CHARS = 1600


class BadRequest(ValueError):
    """The request's fields are missing or malformed; the message says which."""


@dataclass(frozen=True)
class InboundSms:
    phone: str
    body: str
    message_sid: str


def read_form(request: Request) -> RequestParameters:
    """The posted fields, blanks included; empty for any other content type."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        return RequestParameters()
    text = request.body.decode("utf-8", errors="replace")
    return RequestParameters(parse_qs(text, keep_blank_values=True))


def _one(fields: RequestParameters, name: str) -> str:
    values = fields.getlist(name) or []
    if len(values) != 1:
        raise BadRequest(f"expected one {name} field, got {len(values)}")
    return values[0]


def parse_sms(fields: RequestParameters) -> InboundSms:
    phone = _one(fields, "From").strip()
    body = _one(fields, "Body")
    message_sid = _one(fields, "MessageSid")
    if not _PHONE.match(phone):
        # The value itself is never logged: it may be a phone number.
        raise BadRequest("From is not a phone number")
    if len(body) > MAX_BODY_CHARS:
        raise BadRequest(f"Body is longer than {MAX_BODY_CHARS} characters")
    if not _MESSAGE_SID.match(message_sid):
        raise BadRequest("MessageSid is not a Twilio message id")
    return InboundSms(
        phone=phone, body=clean_text(body, MAX_BODY_CHARS).strip(), message_sid=message_sid
    )


# --- the conversation id of a phone number: a keyed hash, never the number ---
#
# HMAC-SHA256 with a secret key (SMS_SENDER_KEY): the same number always finds
# its conversation again, but without the key nobody can test the hashes
# against the few billion possible phone numbers.

SENDER_PREFIX = "sms-"


def normalize_phone(phone: str) -> str:
    """The number as Twilio writes it (E.164, "+15085550123"), whatever the
    spacing, so one phone never gets two ids."""
    return "".join(ch for ch in phone if ch.isalnum() or ch in "+:").lower()


def sender_id(phone: str, key: str) -> str:
    digest = hmac.new(key.encode(), normalize_phone(phone).encode(), hashlib.sha256).hexdigest()
    return SENDER_PREFIX + digest


# --- the channel ---


class SmsInput(TwilioInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(SmsSettings.from_credentials(credentials))

    def __init__(self, settings: SmsSettings) -> None:
        # No account SID or number: replies go back in the webhook response.
        super().__init__(None, settings.auth_token, None, debug_mode=False)
        self._settings = settings
        self._handler: SmsHandler | None = None
        if settings.missing:
            logger.warning(
                "SMS channel disabled: %s not set, so every request to %s gets 403.",
                " and ".join(settings.missing),
                WEBHOOK_PATH,
            )
            return
        self._handler = SmsHandler.with_optouts(settings.optout_db, settings.optout_db_env)

    def get_output_channel(self) -> OutputChannel | None:
        # Texting first is impossible: the channel knows hashes, not numbers.
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = never_silent(on_new_message)
        sms_webhook = Blueprint("sms_webhook", __name__)
        tolerate_malformed_accept(sms_webhook)

        @sms_webhook.listener("before_server_start")
        async def refuse_an_unknown_public_url(app: Sanic, _: Any) -> None:
            # Served beyond this machine, a signature can only be checked
            # against the URL set in Twilio: without it the channel stays off.
            interface = app.state.host or ""
            if (
                self._handler is not None
                and not self._settings.public_url
                and not _loopback(interface)
            ):
                logger.error(
                    "SMS channel disabled: the server listens on %s but %s is not set "
                    "(the webhook URL as set in Twilio), so every request to %s gets 403.",
                    interface,
                    self._settings.public_url_env,
                    WEBHOOK_PATH,
                )
                self._handler = None

        @sms_webhook.listener("after_server_start")
        async def open_message_ids(app: Sanic, _: Any) -> None:
            # The agent, and so the tracker store whose database the MessageSids
            # share, exists once Rasa's own start-up listener has run.
            if self._handler is not None:
                agent = getattr(app.ctx, "agent", None)
                self._handler.message_ids = SmsMessageIds.beside_conversations(
                    getattr(agent, "tracker_store", None)
                )

        @sms_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self._handler else "disabled"})

        @sms_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        return sms_webhook

    async def _receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        settings = self._settings
        # Without the token nothing can be trusted, without the key nothing stored.
        if self._handler is None or not settings.auth_token or not settings.sender_key:
            return response.text("SMS channel not configured", status=403)
        fields = read_form(request)
        if not trusts_host(request, settings.public_url):
            logger.error(
                "Refused an SMS webhook request to %s: set TWILIO_WEBHOOK_URL to the URL set "
                "in Twilio; without it only requests to this machine are accepted.",
                request.host,
            )
            return response.text("TWILIO_WEBHOOK_URL is not set", status=403)
        if not is_signed(request, fields, settings.auth_token, settings.public_url):
            logger.warning(
                "Refused an SMS webhook request without a valid %s for %s "
                "(is TWILIO_WEBHOOK_URL the URL set in Twilio?)",
                SIGNATURE_HEADER,
                signed_url(request, settings.public_url),
            )
            return response.text("Invalid signature", status=403)
        try:
            sms = parse_sms(fields)
        except BadRequest as error:
            logger.warning("Refused an SMS webhook request: %s", error)
            return response.text(f"Bad request: {error}", status=400)

        sender = sender_id(sms.phone, settings.sender_key)
        conversation = RasaConversation(request.app.ctx.agent, on_new_message, sender)
        twiml = await self._handler.respond(
            sms.message_sid, sender, sms.body, conversation, phone=sms.phone
        )
        return response.text(twiml, content_type=TWIML_TYPE)
