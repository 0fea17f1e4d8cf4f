"""The assistant's replies to one SMS, collected and sent back as TwiML.

Twilio takes the reply from the webhook's response, so the channel needs no
outbound API call (nor the account's API credentials) and answers well
within Twilio's 15 seconds.
"""

import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel
from twilio.twiml.messaging_response import MessagingResponse

from channels.sms import rendering, segments

logger = logging.getLogger(__name__)

CHANNEL_NAME = "twilio"


class SmsReplies(OutputChannel):
    """Collects one turn's bot messages as SMS text (see rendering.py).

    Named "twilio", so the `channel: twilio` response variants are chosen.
    """

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._responses: list[str] = []

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self._parts.append(rendering.render_message(message))
        self._responses.append(message.get("utter_action") or "text")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Rasa's plain-text call; bot messages come through send_response."""
        self._parts.append(rendering.plain_text(text))

    def text(self) -> str:
        """The whole turn as one SMS."""
        text = rendering.join(self._parts)
        count = segments.count(text)
        if count > segments.TARGET:
            # Sent whole all the same: cutting could drop the helpline.
            logger.warning(
                "SMS reply of %d segments (aim: %d) from %s",
                count,
                segments.TARGET,
                ", ".join(self._responses),
            )
        return text


def twiml(text: str | None) -> str:
    """The webhook's answer: the reply as one message, or none (silence)."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)
