"""Twilio's webhook form, read as Twilio sent it, and the fields the channel uses.

Sanic's own `request.form` drops blank values, but Twilio signs them too: a
picture sent without text arrives with `Body=` and must still pass the
signature check. So the form is parsed here, keeping blanks.

A signed request that lacks a field, repeats it, or carries a From that is no
phone number is a client error (400), never a crash.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from sanic.request import Request, RequestParameters

from channels.safe_input import clean_text

FORM_TYPE = "application/x-www-form-urlencoded"
# E.164 ("+15085550123") or a short code ("12345"), optionally behind a
# channel prefix as Twilio writes it for WhatsApp ("whatsapp:+1...").
_PHONE = re.compile(r"^(?:[a-z]{1,16}:)?\+?[0-9]{3,15}$")
# Twilio's own limit on a message body.
MAX_BODY_CHARS = 1600


class BadRequest(ValueError):
    """The request's fields are missing or malformed; the message says which."""


@dataclass(frozen=True)
class InboundSms:
    phone: str
    body: str


def form(request: Request) -> RequestParameters:
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


def parse(fields: RequestParameters) -> InboundSms:
    phone = _one(fields, "From").strip()
    body = _one(fields, "Body")
    if not _PHONE.match(phone):
        # The value itself is never logged: it may be a phone number.
        raise BadRequest("From is not a phone number")
    if len(body) > MAX_BODY_CHARS:
        raise BadRequest(f"Body is longer than {MAX_BODY_CHARS} characters")
    return InboundSms(phone=phone, body=clean_text(body, MAX_BODY_CHARS).strip())
