"""SMS through Twilio at /webhooks/twilio/webhook.

Rasa's TwilioInput, keeping its name ("twilio", for the `channel: twilio`
response variants), changed where a crisis line over SMS needs it:
- every request must carry a valid X-Twilio-Signature (signature.py); an
  unsigned or wrongly signed one gets 403 and is not read further; a signed
  one with missing or malformed fields gets 400 (inbound.py);
- the reply is the webhook's TwiML response, not an API call (replies.py);
- the conversation id is a keyed hash of the number (sender_ids.py), and no
  Twilio field is passed on as metadata, so the number is never stored;
- the safety check, then the keywords and opt-outs, decide what is answered
  (handling.py).
Without TWILIO_AUTH_TOKEN or SMS_SENDER_KEY the channel loads but refuses
every request, so the server runs without secrets.
"""

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.never_silent import never_silent
from channels.sms import inbound, signature
from channels.sms.conversation import RasaConversation
from channels.sms.handling import SmsHandler
from channels.sms.optouts import OptOuts
from channels.sms.replies import twiml
from channels.sms.sender_ids import sender_id
from channels.sms.settings import SmsSettings

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/twilio/webhook"
TWIML_TYPE = "application/xml"


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
        self._handler = SmsHandler(OptOuts(settings.optout_db, settings.optout_db_env))

    def get_output_channel(self) -> OutputChannel | None:
        # Texting first is impossible: the channel knows hashes, not numbers.
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = never_silent(on_new_message)
        sms_webhook = Blueprint("sms_webhook", __name__)

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
        fields = inbound.form(request)
        if not signature.trusts_host(request, settings.public_url):
            logger.error(
                "Refused an SMS webhook request to %s: set TWILIO_WEBHOOK_URL to the URL set "
                "in Twilio; without it only requests to this machine are accepted.",
                request.host,
            )
            return response.text("TWILIO_WEBHOOK_URL is not set", status=403)
        if not signature.is_signed(request, fields, settings.auth_token, settings.public_url):
            logger.warning(
                "Refused an SMS webhook request without a valid %s for %s "
                "(is TWILIO_WEBHOOK_URL the URL set in Twilio?)",
                signature.HEADER,
                signature.signed_url(request, settings.public_url),
            )
            return response.text("Invalid signature", status=403)
        try:
            sms = inbound.parse(fields)
        except inbound.BadRequest as error:
            logger.warning("Refused an SMS webhook request: %s", error)
            return response.text(f"Bad request: {error}", status=400)

        sender = sender_id(sms.phone, settings.sender_key)
        conversation = RasaConversation(request.app.ctx.agent, on_new_message, sender)
        reply = await self._handler.answer(sender, sms.body, conversation)
        return response.text(twiml(reply), content_type=TWIML_TYPE)
