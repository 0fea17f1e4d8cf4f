"""How a bot message reads as a text message: every SMS rendering rule.

- Text: markdown removed; blank lines closed up (each newline is a character).
  Typographic quotes, dashes and ellipses become their plain forms, and letters
  the GSM alphabet lacks lose their accent (línea -> linea; é and ñ stay): a
  single such character would switch the whole SMS to UCS-2 and halve what
  fits in a segment (segments.py). The Spanish urgent replies fit 2 segments
  instead of 4 this way.
- Buttons (and quick replies): one line, "Reply 1 for Detox, 2 to talk to a
  person"; the person answers with the number (menu_choices.py).
- Custom payloads are dropped: the urgent replies' handoff payload is for the
  widget's call buttons and the audit, and their text already names 911, 988
  and the helpline. Images and attachments are not used by this assistant.
- The messages of one turn go out as one SMS, a line apart.
"""

import re
import unicodedata
from typing import Any, Iterable

from channels.sms.segments import GSM_BASIC

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
