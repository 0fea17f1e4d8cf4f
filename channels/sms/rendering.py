"""How the assistant's replies read as a text message, and the TwiML that carries them.

- Text: markdown removed; blank lines closed up (each newline is a character).
  Typographic quotes, dashes and ellipses become their plain forms, and letters
  the GSM alphabet lacks lose their accent (línea -> linea; é and ñ stay): a
  single such character would switch the whole SMS to UCS-2 and halve what
  fits in a segment (see "segments" below). The Spanish urgent replies fit 2
  segments instead of 4 this way.
- Buttons (and quick replies): one choice a line, "1 Detox and withdrawal",
  "2 Medications", ...; the person answers with the number (handling.py reads
  it, and answers a number that is no choice with `wrong_number`).
- Custom payloads are dropped: the urgent replies' handoff payload is for the
  widget's call buttons and the audit, and their text already names 911, 988
  and the helpline. Images and attachments are not used by this assistant.
- The messages of one turn go out as one SMS, a line apart (SmsReplies), in
  the webhook's TwiML response (`twiml`). A turn that ends with a curated
  answer (utter_faq/<id>) ends with "MENU for more" when that still fits the
  segment target.
- The few replies the channel writes itself, not the assistant, are here too
  ("notices" below), in English and in Spanish: the conversation's language
  (the `language` slot) or the language of the keyword that asked for them.
"""

import logging
import math
import re
import unicodedata
from typing import Any, Iterable

from rasa.core.channels.channel import OutputChannel
from twilio.twiml.messaging_response import MessagingResponse

from center import facts
from center.facts import center_name, helpline

logger = logging.getLogger(__name__)

# The languages the channel's own texts are written in (the `language` slot's
# values); any other gets English, as the assistant's replies without a
# variant in it do.
ENGLISH = "en"
SPANISH = "es"


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


def _gsm_letter(ch: str) -> str:
    if ch in GSM_BASIC or not ch.isalpha():
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base in GSM_BASIC else ch


def gsm_text(text: str) -> str:
    """Typographic marks made plain and accents the GSM alphabet lacks dropped."""
    return "".join(_gsm_letter(ch) for ch in text.translate(_PLAIN))


def plain_text(text: str) -> str:
    text = gsm_text(text)
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def choice(number: int, title: str) -> str:
    """One numbered choice, as its own line: "1 Detox and withdrawal"."""
    plain = " ".join(plain_text(title).split())
    short = _ABBREVIATION.sub("", plain).rstrip(": ") or plain
    return f"{number} {short}".rstrip()


def choices(buttons: list[dict[str, Any]]) -> str:
    """The buttons as numbered choices, one a line (a newline is one character,
    fewer than the ", 2 for " of a sentence)."""
    return "\n".join(
        choice(number, button.get("title", "")) for number, button in enumerate(buttons, 1)
    )


def render_message(message: dict[str, Any]) -> str:
    """One bot message (Rasa's BotUttered.message()) as SMS text; "" if nothing shows."""
    text = plain_text(message.get("text") or "")
    buttons = message.get("buttons") or message.get("quick_replies") or []
    return join([text, choices(buttons) if buttons else ""])


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
        # The response each part came from ("utter_faq/mat_methadone"), for the log
        # and to know whether the turn ends with a curated answer.
        self._responses: list[str] = []

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self._parts.append(render_message(message))
        self._responses.append(message.get("utter_action") or "text")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Rasa's plain-text call; bot messages come through send_response."""
        self._parts.append(plain_text(text))
        self._responses.append("text")

    def ends_with_curated_answer(self) -> bool:
        shown = [name for part, name in zip(self._parts, self._responses, strict=True) if part]
        return bool(shown) and shown[-1].startswith(CURATED_PREFIX)

    def text(self, language: str = ENGLISH) -> str:
        """The whole turn as one SMS; `language`, the conversation's, for "MENU for more"."""
        text = join(self._parts)
        if self.ends_with_curated_answer():
            text = with_menu_for_more(text, language)
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


# A curated answer is a response of the retrieval intent: utter_faq/<id>.
CURATED_PREFIX = "utter_faq/"
MENU_FOR_MORE = "MENU for more"
MENU_FOR_MORE_ES = "MENU para otros temas"


def with_menu_for_more(text: str, language: str = ENGLISH) -> str:
    """A curated answer, ending with where to go next if that fits the
    segment target; as it is otherwise (a third segment costs more than the
    hint is worth, and the answer is never cut)."""
    hint = MENU_FOR_MORE_ES if language == SPANISH else MENU_FOR_MORE
    longer = join([text, hint])
    return longer if segment_count(longer) <= SEGMENT_TARGET else text


def twiml(text: str | None) -> str:
    """The webhook's answer: the reply as one message, or none (silence)."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)


# --- notices: the few SMS replies the channel writes itself, not the assistant ---
#
# The help text and the call-back notice name 911, 988 and the helpline (read
# from its one definition, center/facts.py); the menu hints answer a number
# that picks nothing, after the safety check found it not urgent.
#
# Each in English and in Spanish (`language`: the conversation's, or a Spanish
# keyword's). The Spanish ones keep to the GSM alphabet, as the English ones
# do: é, ñ, ¿ and ¡ are in it, but á, í, ó and ú are not, and one of them
# would turn the whole SMS into UCS-2 (70 characters a segment, 67 in a longer
# one, instead of 160 and 153), doubling its cost. So they are worded around
# those letters where Spanish allows ("contestar", "mande"), and where it does
# not ("línea") gsm_text writes the letter without its accent, as it does in
# the assistant's Spanish replies: "linea" reads at once, and the help text
# stays within two segments.

MENU_HINT = "Reply MENU for topics"
EMERGENCY_LINES = "Emergency: call 911. Suicidal crisis: call or text 988."
MENU_HINT_ES = "Responda MENU para ver los temas"
# 988 answers in Spanish: press 2 on a call, or text AYUDA (as the assistant's
# Spanish replies say).
EMERGENCY_LINES_ES = "Emergencia: llame al 911. Crisis suicida: llame al 988 y marque 2."
EMERGENCY_LINES_ES_FULL = (
    "Emergencia: llame al 911. Crisis suicida: llame al 988 y marque 2, "
    "o mande AYUDA por texto al 988."
)


def wrong_number(menu_size: int, language: str = ENGLISH) -> str:
    """For a number that is none of the last menu's choices, or sent with no
    menu. A plain hyphen, as in all the channel's text: an en dash is not in
    the GSM alphabet (see "segments")."""
    spanish = language == SPANISH
    if menu_size <= 0:
        return MENU_HINT_ES if spanish else "Reply MENU for the menu"
    numbers = "1" if menu_size == 1 else f"1-{menu_size}"
    return f"Responda {numbers} o MENU" if spanish else f"Reply {numbers}, or MENU"


def helpline_hours(language: str = ENGLISH) -> str:
    """The helpline's hours as a sentence ("Helpline hours: ..."), or "" when
    center/facts.py has none (the fact is optional: no function, or empty)."""
    hours_of = getattr(facts, "helpline_hours", None)
    if hours_of is None:
        return ""
    try:
        hours = hours_of()
    except Exception:
        logger.exception("Could not read the helpline hours: the help text leaves them out")
        return ""
    hours = " ".join(plain_text(hours or "").split()).rstrip(". ")
    if not hours:
        return ""
    if language == SPANISH:
        return gsm_text(f"Horario de la línea de ayuda: {hours}.")
    return f"Helpline hours: {hours}."


def _programs(menu: bool, language: str = ENGLISH) -> list[str]:
    """The carriers' required HELP content, the program's name and how to
    stop, fullest first. `menu`: with the MENU hint (never after an urgent
    reply). STOP in Spanish too: it is the word carriers and Twilio act on
    (ALTO and PARAR stop this assistant's replies only, see handling.py)."""
    if language == SPANISH:
        full = f"Asistente de {center_name()} (automático, no un médico)."
        stop = (
            f"{MENU_HINT_ES}, o STOP para no recibir mensajes."
            if menu
            else "Para no recibir mensajes: STOP."
        )
        short = f"Asistente de {center_name()}. Para no recibir mensajes: STOP."
        return [gsm_text(f"{full} {stop}"), gsm_text(short)]
    full = f"{center_name()} assistant (automated, not a doctor)."
    stop = f"{MENU_HINT}, STOP to stop texts." if menu else "Reply STOP to stop texts."
    return [f"{full} {stop}", f"{center_name()} assistant. Reply STOP to stop texts."]


def _fitting(candidates: list[str]) -> str:
    """The first (fullest) candidate within the segment target; else the last,
    whole, with a warning (nothing required is cut)."""
    for candidate in candidates:
        if segment_count(candidate) <= SEGMENT_TARGET:
            return candidate
    logger.warning(
        "SMS help text of %d segments (aim: %d)", segment_count(candidates[-1]), SEGMENT_TARGET
    )
    return candidates[-1]


def help_text(language: str = ENGLISH) -> str:
    """The reply to INFO and AYUDA (and to HELP, when the safety check lets it
    through): 911, then 988, then the helpline (and its hours, if known), then
    the program's name and STOP, as carriers require of a HELP reply."""
    if language == SPANISH:
        lines = gsm_text(
            f"{EMERGENCY_LINES_ES_FULL} Para hablar con una persona, llame a nuestra línea de "
            f"ayuda: {helpline()}."
        )
    else:
        lines = f"{EMERGENCY_LINES} To talk with a person, call our helpline: {helpline()}."
    hours = helpline_hours(language)
    return _fitting(
        [
            " ".join(part for part in (lines, hours, program) if part)
            for program in _programs(True, language)
        ]
    )


def with_help_content(urgent_reply: str, language: str = ENGLISH) -> str:
    """A bare HELP (or AYUDA) is a plea: the safety check's urgent reply (911
    or 988 first, then the helpline) answers it, and the carriers' HELP
    content follows."""
    hours = helpline_hours(language)
    return _fitting(
        [
            join([urgent_reply, " ".join(part for part in (hours, program) if part)])
            for program in _programs(False, language)
        ]
    )


def callback_unavailable(language: str = ENGLISH) -> str:
    """For CALL when the call-back queue cannot take the request."""
    if language == SPANISH:
        return gsm_text(
            f"Lo siento, ahora no puedo pedir que le llamen. Para hablar con una persona, "
            f"llame al {helpline()}. {EMERGENCY_LINES_ES}"
        )
    return (
        f"Sorry, I can't set up a call-back right now. To talk with a person, call "
        f"{helpline()}. {EMERGENCY_LINES}"
    )


def stopped(language: str = SPANISH) -> str:
    """For ALTO or PARAR, the Spanish opt-out words, which Twilio does not act on
    by default (it confirms and blocks on STOP and the other English words,
    which get no reply from the assistant): the only confirmation the person
    gets, with the emergency lines, since the assistant stops answering."""
    if language != SPANISH:
        return (
            f"You will get no more replies from the {center_name()} assistant. "
            f"{EMERGENCY_LINES} To start again, reply START."
        )
    return gsm_text(
        f"Listo: el asistente de {center_name()} no le va a contestar otros mensajes. "
        f"{EMERGENCY_LINES_ES} Para volver, responda START."
    )


def resumed(language: str = ENGLISH) -> str:
    if language == SPANISH:
        return gsm_text(
            f"Listo: el asistente de {center_name()} vuelve a contestarle. {MENU_HINT_ES}."
        )
    return f"You will get replies from the {center_name()} assistant again. {MENU_HINT}."


def text_only(language: str = ENGLISH) -> str:
    """For a message without text, such as a picture."""
    if language == SPANISH:
        return gsm_text(
            f"Solo puedo leer texto. {MENU_HINT_ES}, o llame al {helpline()} para hablar con "
            "una persona."
        )
    return f"I can only read text. {MENU_HINT}, or call {helpline()} to talk with a person."
