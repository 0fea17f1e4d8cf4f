"""What a caller sends, made safe before Rasa sees it: every channel uses this.

A field Rasa cannot store must never reach it. A lone surrogate in a sender id
once raised a UnicodeEncodeError inside the tracker store and stopped the
server for everyone. So each channel:
- accepts only sender ids of its own bounded, safe alphabet (`valid_sender_id`);
- passes on text only after `clean_text`: lone surrogates become U+FFFD, control
  characters go, the text is NFC-normalised and cut to the channel's limit, and
  only a bare button payload ("/menu_mat", "/faq/mat_methadone") keeps its
  leading slash. Rasa reads any "/intent{...}" text as that intent and never
  lets the safety check see it: '/goodbye{"a":"b"} he took too much and wont
  wake up' got "Take care". Without the slash it is text like any other.
Headers are read by Sanic, not by Rasa; `tolerate_malformed_accept` keeps a
malformed Accept header from turning a 4xx into a 500.
"""

import re
import unicodedata

from sanic import Blueprint
from sanic.exceptions import InvalidHeader
from sanic.headers import parse_accept
from sanic.request import Request

from nlu_components.topics import BUTTON_PAYLOAD
from storage import log_redaction

# Every channel imports this module: from then on no log line holds a phone
# number, an email or an id a person typed.
log_redaction.install()

# Letters, digits and a few separators: what the channels themselves issue
# (the widget's tokens, "sms-<hash>") and what a website back end can choose.
SENDER_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
# Line breaks and tabs are how people write; every other control character is noise.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def valid_sender_id(value: object) -> bool:
    return isinstance(value, str) and SENDER_ID.fullmatch(value) is not None


def clean_text(text: str, max_chars: int) -> str:
    """The text as it can be stored and read: valid UTF-8, no control characters."""
    # Through UTF-16, a surrogate pair becomes the character it encodes and a
    # lone surrogate becomes U+FFFD.
    text = text.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le", errors="replace")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))[:max_chars]
    if text.lstrip().startswith("/") and not BUTTON_PAYLOAD.fullmatch(text.strip()):
        text = text.lstrip().lstrip("/")
    return text


def tolerate_malformed_accept(blueprint: Blueprint) -> None:
    """On `blueprint`'s routes, read a malformed Accept header as no Accept header.

    Sanic parses Accept lazily, to format an error or a response, and failed
    there: a request with "Accept: 0" that deserved a 400 got "500 An error
    occurred while handling an error" (found by tests/reliability/test_fuzz.py).
    """

    @blueprint.middleware("request")
    async def read_accept(request: Request) -> None:
        try:
            request.accept  # noqa: B018 (parsed and cached here, or never)
        except (InvalidHeader, ValueError):
            request.parsed_accept = parse_accept("")
