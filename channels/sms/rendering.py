"""How the assistant's replies read as a text message, and the TwiML that carries them.

- Text: markdown removed; blank lines closed up (each newline is a character).
  Typographic quotes, dashes and ellipses become their plain forms, and letters
  the GSM alphabet lacks lose their accent (línea -> linea; é and ñ stay): a
  single such character would switch the whole SMS to UCS-2 and halve what
  fits in a segment (see "segments" below). The Spanish urgent replies fit 2
  segments instead of 4 this way.
- Buttons (and quick replies): one line, "Reply 1 for Detox, 2 to talk to a
  person"; the person answers with the number (handling.py reads it).
- Custom payloads are dropped: the urgent replies' handoff payload is for the
  widget's call buttons and the audit, and their text already names 911, 988
  and the helpline. Images and attachments are not used by this assistant.
- The messages of one turn go out as one SMS, a line apart (SmsReplies), in
  the webhook's TwiML response (`twiml`).
- The few replies the channel writes itself, not the assistant, are here too
  ("notices" below).
"""

import logging
import math
import re
import unicodedata
from typing import Any, Iterable

from rasa.core.channels.channel import OutputChannel
from twilio.twiml.messaging_response import MessagingResponse

from center.facts import center_name, helpline

logger = logging.getLogger(__name__)


# --- segments: how many SMS a text takes, as carriers bill and split it ---
#
# A text in the GSM 03.38 alphabet fits 160 characters in one SMS, or 153 in
# each segment of a longer one; a single character outside it (an emoji, a
# curly quote) turns the whole text into UCS-2: 70, or 67 a segment.

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Sent as an escape plus a character: two of the 160.
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

SEGMENT_TARGET = 2


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def segment_count(text: str) -> int:
    if not text:
        return 0
    if is_gsm(text):
        units = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


# --- one bot message as SMS text ---

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
    }
)
_MARKDOWN = [
    (re.compile(r"\[([^\]]+)\]\((\S+?)\)"), r"\1: \2"),  # [text](url)
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # **bold**, __bold__
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),  # _italic_
    (re.compile(r"`([^`]*)`"), r"\1"),  # `code`
    (re.compile(r"^#{1,6}\s+", re.MULTILINE), ""),  # # heading
    (re.compile(r"^\s*[*+]\s+", re.MULTILINE), "- "),  # * item
]
# "(MAT)" after "Medications" only repeats it; "(Suboxone)" after
# "Buprenorphine" is the name many people know, so it stays.
_ABBREVIATION = re.compile(r"\s*\([A-Z]{2,6}\)")
# Titles that are an action read "2 to talk to a person", the others "1 for Detox".
_ACTION_VERBS = frozenset({"talk", "call", "show", "see", "start", "go"})


def _gsm_letter(ch: str) -> str:
    if ch in GSM_BASIC or not ch.isalpha():
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base in GSM_BASIC else ch


def plain_text(text: str) -> str:
    text = "".join(_gsm_letter(ch) for ch in text.translate(_PLAIN))
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def choice(number: int, title: str) -> str:
    short = _ABBREVIATION.sub("", plain_text(title)).rstrip("?.!: ") or plain_text(title)
    words = short.split()
    if words and words[0].lower() in _ACTION_VERBS:
        return f"{number} to {short[0].lower()}{short[1:]}"
    return f"{number} for {short}"


def choices_line(buttons: list[dict[str, Any]]) -> str:
    return "Reply " + ", ".join(
        choice(number, button.get("title", "")) for number, button in enumerate(buttons, 1)
    )


def render_message(message: dict[str, Any]) -> str:
    """One bot message (Rasa's BotUttered.message()) as SMS text; "" if nothing shows."""
    text = plain_text(message.get("text") or "")
    buttons = message.get("buttons") or message.get("quick_replies") or []
    return join([text, choices_line(buttons) if buttons else ""])


def join(parts: Iterable[str]) -> str:
    return "\n".join(part for part in parts if part)


# --- the assistant's replies to one SMS, collected and sent back as TwiML ---
#
# Twilio takes the reply from the webhook's response, so the channel needs no
# outbound API call (nor the account's API credentials) and answers well
# within Twilio's 15 seconds.

CHANNEL_NAME = "twilio"


class SmsReplies(OutputChannel):
    """Collects one turn's bot messages as SMS text (see render_message).

    Named "twilio", so the `channel: twilio` response variants are chosen.
    """

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._responses: list[str] = []

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self._parts.append(render_message(message))
        self._responses.append(message.get("utter_action") or "text")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Rasa's plain-text call; bot messages come through send_response."""
        self._parts.append(plain_text(text))

    def text(self) -> str:
        """The whole turn as one SMS."""
        text = join(self._parts)
        count = segment_count(text)
        if count > SEGMENT_TARGET:
            # Sent whole all the same: cutting could drop the helpline.
            logger.warning(
                "SMS reply of %d segments (aim: %d) from %s",
                count,
                SEGMENT_TARGET,
                ", ".join(self._responses),
            )
        return text


def twiml(text: str | None) -> str:
    """The webhook's answer: the reply as one message, or none (silence)."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)


# --- notices: the few SMS replies the channel writes itself, not the assistant ---
#
# Each names the helpline, read from its one definition (center/facts.py).

MENU_HINT = "Reply MENU for topics"


def help_text() -> str:
    """The reply to INFO (and to HELP, when the safety check lets it through)."""
    return (
        f"{center_name()} assistant (automated, not a doctor). Emergency: call 911. "
        f"Suicidal crisis: call or text 988. A person: {helpline()}. "
        f"{MENU_HINT}, STOP to stop texts."
    )


def resumed() -> str:
    return f"You will get replies from the {center_name()} assistant again. {MENU_HINT}."


def text_only() -> str:
    """For a message without text, such as a picture."""
    return f"I can only read text. {MENU_HINT}, or call {helpline()} to talk with a person."
