"""The REST channel for the website back end, refusing malformed requests with 400.

Rasa's RestInput answers 500 to a body that is not a JSON object, answers
nothing to a message that is not a string, files a request without a sender
under one shared "default" conversation, and takes the caller's word for the
input channel and metadata. This one keeps its path (/webhooks/rest/webhook)
and its answers, and refuses what it cannot handle before it is handled.
"""

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.never_silent import never_silent
from channels.safe_input import (
    SENDER_ID,
    clean_text,
    tolerate_malformed_accept,
    valid_sender_id,
)

# What one message may hold; longer text is cut (the widget allows 1,000).
MAX_MESSAGE_CHARS = 10_000
# A larger request body is refused with 413 before it is read as JSON.
MAX_BODY_BYTES = 64 * 1024


def _body(request: Request) -> dict[str, Any]:
    body = request.json  # Sanic answers 400 itself when the body is not JSON
    if not isinstance(body, dict):
        raise InvalidUsage('The body must be a JSON object: {"sender": "...", "message": "..."}')
    return body


class CheckedRestInput(RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = super().blueprint(never_silent(on_new_message))
        tolerate_malformed_accept(rest)

        @rest.middleware("request")
        async def refuse_large_bodies(request: Request) -> HTTPResponse | None:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json(
                    {"message": f"The body is over {MAX_BODY_BYTES} bytes."}, status=413
                )
            return None

        return rest

    async def _extract_sender(self, request: Request) -> str:
        sender = _body(request).get("sender")
        if not valid_sender_id(sender):
            raise InvalidUsage(f'"sender" must match {SENDER_ID.pattern}.')
        return sender

    def _extract_message(self, request: Request) -> str:
        message = _body(request).get("message")
        if not isinstance(message, str):
            raise InvalidUsage('"message" must be a string.')
        return clean_text(message, MAX_MESSAGE_CHARS)

    def _extract_input_channel(self, request: Request) -> str:
        # A caller must not pose as the SMS or widget channel (their replies
        # and the handoff audit depend on it).
        return self.name()

    def get_metadata(self, request: Request) -> None:
        # Nothing but the text is stored: metadata could carry contact details.
        return None
