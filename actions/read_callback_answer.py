"""action_read_callback_answer: reads each answer to the call-back form, and takes the number.

Why a custom slot mapping and not `validate_callback_form`: Rasa calls a
form's `validate_<form>` action for every message the form sees, urgent ones
included, before any rule may answer. An urgent message in the middle of the
form would then wait on the action server, and get no handoff at all if it
were down. This action is named in the slots' `custom` mappings instead
(domain.yml), which Rasa runs only for messages whose intent the form does not
ignore: urgent messages and cancels never reach it, the form declines them,
and the rules answer them with the action server up, down or hung
(data/rules/urgent.yml, data/rules/callbacks.yml). A check-in (risk possible
but unclear) does reach it: a bare "no" to "may we leave a voicemail?" reads
as unclear risk to the safety check, which sees no question. Only a closed
answer to the question just asked is taken from such a message; anything
else is declined, and the check-in rule answers and ends the form (also when
this action cannot run).

What it does with the requested slot's answer:
- the number: found in the message with libphonenumber (region US), handed to
  the queue (`hold_number`, encrypted, storage/callbacks.py), and only the
  boolean `callback_number_held: true` is set. The number is never put in a
  slot, an event, a reply or a log line; the message's own text is redacted
  before the tracker store writes it (storage/tracker_store.py).
- the name: a first name or nickname of one or two words, or "" for skip
  (the Skip button sends /deny). A message with digits is never taken as a
  name; if it holds a valid number, that is taken as the number.
- the time window and yes/no answers: buttons and messages the NLU reads as
  their intents fill them in Rasa itself (from_intent mappings, no action
  server needed); this action reads what the NLU did not ("after lunch tmrw").
- an answer it cannot read: the slot stays empty, so the form asks again, and
  `callback_hint` names the question, so that it is asked with a short hint
  ("Sorry, I didn't catch the time."): a conditional variant of its response.
  (Rasa 3.6 drops the messages of a custom slot-mapping action, keeping only
  its slots: the hint has to travel in a slot.)
- a question or request of another kind (a curated topic, the menu, sources,
  talk to a person...): nothing, so the form declines the message, its own
  rule answers it, and the form then asks its question again.
"""

import logging
import re
from typing import Any

import phonenumbers
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.callback_slots import (
    FORM_SLOTS,
    HINT,
    NAME,
    NUMBER_HELD,
    TEXT_OK,
    VOICEMAIL,
    WINDOW,
)
from storage import log_redaction
from storage.callbacks import REGION, CallbackQueue

log_redaction.install()
logger = logging.getLogger(__name__)

# The safety check's "risk possible but unclear" intent (safety/categories.py).
CHECK_IN = "check_in"
# A closed answer, for a message the safety check found unclear: at most this
# many words in all for a time, or besides the number ("my cell is", "call me at").
CLOSED_ANSWER_WORDS = 3
CLOSED_NUMBER_WORDS = 4
# The hint when no number can be taken at all (no CALLBACK_KEY any more).
NO_NUMBERS_TAKEN = "no_numbers_taken"

# Intents with answers of their own: the form steps aside for them.
DIGRESSIONS = frozenset(
    {
        "faq",
        "show_menu",
        "menu_detox",
        "menu_mat",
        "menu_therapy",
        "menu_aftercare",
        "start_over",
        "ask_sources",
        "ask_dose_or_drugs",
        "share_loss",
        "request_human",
        "request_callback",
        "check_in_safe",
    }
)

# --- reading answers ---


def plain(text: str) -> str:
    """Lower case, no apostrophes or punctuation, single spaces: "Don't!" -> "dont"."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^\w/ ]+", " ", text).split())


SKIP = frozenset(
    {
        "skip", "skip it", "skip that", "skip please", "pass", "no name", "none", "no",
        "nope", "nah", "n/a", "na", "rather not", "id rather not", "prefer not",
        "prefer not to say", "anonymous", "anon", "dont want to say", "no thanks",
        "not telling", "doesnt matter", "dont need a name", "no need", "just call",
        "just call me",
    }
)  # fmt: skip
# Words that make a "name" not a name: small talk, answers, and the words of sentences.
NOT_NAME_WORDS = frozenset(
    """yes y yeah ok okay sure hi hello hey thanks thank thx ty idk what why how huh help
    menu cancel stop call talk text back me you your my we at in on to of for with and or
    the a an is are was not can cant dont wont now later today tomorrow tmrw please pls
    work home morning afternoon evening night number phone cell nobody someone""".split()  # noqa: SIM905
)
NAME_INTRO = re.compile(
    r"^(?:(?:hi|hey|hello|yes|ok|okay|sure)[,!. ]+)?"
    r"(?:(?:my )?name(?:'s|s| is)|it'?s|it is|i'?m|i am|this is|(?:you can )?call me|"
    r"(?:just )?ask for|just say|use)\s+",
    re.IGNORECASE,
)
NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'\u2019.-]{0,24}")


def read_name(text: str) -> str | None:
    """A first name or nickname as typed ("Jen", "Mary Jo", "T"), "" for skip, None
    for anything else."""
    if plain(text) in SKIP:
        return ""
    body = NAME_INTRO.sub("", text.strip()).strip(" .!?,;:")
    words = body.split()
    if not 1 <= len(words) <= 2 or not all(NAME_WORD.fullmatch(word) for word in words):
        return None
    if any(plain(word) in NOT_NAME_WORDS for word in words):
        return None
    if body.islower():
        body = " ".join(word[:1].upper() + word[1:] for word in words)
    return body


def numbers_in(text: str) -> tuple[str | None, str]:
    """The first valid phone number in `text` (E.164) and the text without it."""
    for match in phonenumbers.PhoneNumberMatcher(text, REGION):
        if phonenumbers.is_valid_number(match.number):
            number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            return number, (text[: match.start] + " " + text[match.end :]).strip()
    return None, text


# English and Spanish, as people text them (accents optional). "mañana" is
# both "tomorrow" and "morning": after "la" it is the morning, otherwise tomorrow
# ("mañana en la mañana" is tomorrow morning).
_MORNING_ES = r"\b(?:la|las) ma[nñ]anas?\b"
_TOMORROW = (
    r"\b(tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmrow|tmw|2morrow|2moro|2mrw)\b"
    r"|(?<!la )(?<!las )\bma[nñ]ana\b"
)
_MORNING = rf"\b(morning|mornin|am|before noon|early|temprano)\b|{_MORNING_ES}"
_AFTERNOON = (
    r"\b(afternoon|aft|after lunch|around lunch|noon|midday"
    r"|la tarde|mediod[ií]a|despu[eé]s del almuerzo|a la hora del almuerzo)\b"
)
_EVENING = (
    r"\b(evening|eve|night|nite|after work|after dinner|pm"
    r"|la noche|despu[eé]s del trabajo|despu[eé]s de la cena)\b"
)
_TODAY = (
    r"\b(today|tonight|tonite|2nite|later|this afternoon|this aft|this evening|this eve"
    r"|hoy|esta tarde|esta noche|m[aá]s tarde|al rato|luego)\b"
)
_NOW = (
    r"\b(now|asap|rn|right away|soon|anytime|any time|whenever|immediately"
    r"|ahora|ahorita|ya mismo|lo antes posible|cuanto antes|cuando sea|cuando puedan)\b"
)
_NOT_NOW = r"\bnot (right )?now\b|\b(ahora|ahorita) no\b|\bno (ahora|ahorita)\b"


def read_window(text: str) -> str | None:
    """One of the form's time windows in words people text, or None if unclear
    ("tomorrow" alone: which part of the day?)."""
    words = re.sub(_NOT_NOW, " ", plain(text))
    if re.search(_TOMORROW, words):
        for part, window in (
            (_EVENING, "tomorrow_evening"),
            (_AFTERNOON, "tomorrow_afternoon"),
            (_MORNING, "tomorrow_morning"),
        ):
            if re.search(part, words):
                return window
        return None
    if re.search(_TODAY, words):
        return "today"
    if re.search(_NOW, words):
        return "now"
    if re.search(_MORNING, words) and not re.search(r"\b(this morning|esta ma[nñ]ana)\b", words):
        return "tomorrow_morning"
    return None


YES = frozenset(
    {
        "yes", "y", "yeah", "yea", "ya", "yah", "yep", "yup", "ye", "yess", "yes please",
        "sure", "sure thing", "ok", "okay", "k", "kk", "fine", "thats fine", "thats ok",
        "thats okay", "its fine", "its ok", "go ahead", "please do", "of course",
        "absolutely", "definitely", "no problem", "no prob", "np", "not a problem",
        "ok with me", "si", "sí", "sim", "wi", "có",
    }
)  # fmt: skip
NO = frozenset(
    {
        "no", "n", "nope", "nah", "naw", "no thanks", "no thank you", "nty", "dont",
        "please dont", "pls dont", "rather not", "id rather not", "better not", "not ok",
        "not okay", "no way", "never", "absolutely not", "no dont", "no please", "no pls",
        "non", "não", "nao", "không",
    }
)  # fmt: skip


def read_yes_no(text: str) -> bool | None:
    words = plain(text)
    if words in YES:
        return True
    if words in NO:
        return False
    if words.startswith(("no problem", "no prob", "not a problem")):
        return True
    first = words.split()[0] if words else ""
    if first in {"yes", "yeah", "yea", "ya", "yep", "yup", "sure", "ok", "okay"}:
        return True
    if first in {"no", "nope", "nah", "dont"}:
        return False
    return None


# --- the action ---


class ActionReadCallbackAnswer(Action):
    def name(self) -> str:
        return "action_read_callback_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        slot = tracker.get_slot("requested_slot")
        if slot not in FORM_SLOTS:
            return []
        message = tracker.latest_message or {}
        text = (message.get("text") or "").strip()
        intent = (message.get("intent") or {}).get("name")
        if text.startswith("/"):
            # A button: only Skip (/deny) answers a question this action reads;
            # any other is its own request (its rule answers it).
            if slot == NAME and intent == "deny":
                return answered(NAME, "")
            return []
        if intent == CHECK_IN:
            return self._checked_in(tracker, slot, text)
        if slot == NAME:
            return self._name(tracker, text, intent)
        if slot == NUMBER_HELD:
            return self._number(tracker, text, intent)
        if slot == WINDOW:
            window = read_window(text)
            if window is not None:
                return answered(WINDOW, window)
            return not_read(slot, intent)
        answer = read_yes_no(text)
        if answer is not None:
            return answered(slot, answer)
        assert slot in (VOICEMAIL, TEXT_OK)
        return not_read(slot, intent)

    def _checked_in(self, tracker: Tracker, slot: str, text: str) -> list[dict[str, Any]]:
        """A message the safety check found unclear: the check-in, unless the
        whole message is a plain answer to the question just asked.

        The safety check reads each message alone, and a bare "no", "y", "rn" or
        "tonight" reads as possible risk without the question it answers. Only
        such a closed answer is taken; anything more ("no, I don't care
        anymore") is left to the check-in rule, which ends the form.
        """
        words = plain(text)
        if slot == NAME and not any(ch.isdigit() for ch in text):
            name = read_name(text)
            return answered(NAME, name) if name is not None else []
        if slot == NUMBER_HELD:
            number, rest = numbers_in(text)
            letters = [word for word in rest.split() if not any(ch.isdigit() for ch in word)]
            if len(letters) > CLOSED_NUMBER_WORDS:
                return []
            if number and self._hold(tracker, number):
                return answered(NUMBER_HELD, True)
            if any(ch.isdigit() for ch in text):  # a number mistyped ("508 55")
                return not_read(NUMBER_HELD, None)
            return []
        if slot == WINDOW and len(words.split()) <= CLOSED_ANSWER_WORDS:
            window = read_window(text)
            return answered(WINDOW, window) if window is not None else []
        if slot in (VOICEMAIL, TEXT_OK) and (words in YES or words in NO):
            return answered(slot, words in YES)
        return []

    def _name(self, tracker: Tracker, text: str, intent: str | None) -> list[dict[str, Any]]:
        if intent in DIGRESSIONS:
            return declined()
        if any(ch.isdigit() for ch in text):
            # Never a name; perhaps the number, given early.
            number, rest = numbers_in(text)
            if number and self._hold(tracker, number):
                return [SlotSet(NUMBER_HELD, True), *answered(NAME, read_name(rest) or "")]
            return not_read(NAME, None)
        name = read_name(text)
        return answered(NAME, name) if name is not None else not_read(NAME, None)

    def _number(self, tracker: Tracker, text: str, intent: str | None) -> list[dict[str, Any]]:
        number, _ = numbers_in(text)
        if number is not None:
            if self._hold(tracker, number):
                return answered(NUMBER_HELD, True)
            return [SlotSet(NUMBER_HELD, None), SlotSet(HINT, NO_NUMBERS_TAKEN)]
        if intent in DIGRESSIONS and not any(ch.isdigit() for ch in text):
            return declined()
        return not_read(NUMBER_HELD, None)

    @staticmethod
    def _hold(tracker: Tracker, number: str) -> bool:
        """Hands the number to the queue; False when the queue takes no numbers."""
        queue = CallbackQueue.from_environment()
        if not queue.available:
            return False
        channel = tracker.get_latest_input_channel() or "unknown"
        queue.hold_number(tracker.sender_id, number, channel)
        return True


def answered(slot: str, value: Any) -> list[dict[str, Any]]:
    return [SlotSet(slot, value), SlotSet(HINT, None)]


def not_read(slot: str, intent: str | None) -> list[dict[str, Any]]:
    """The answer could not be read: ask again, with a hint; or, for another
    kind of request, step aside for its rule."""
    if intent in DIGRESSIONS:
        return declined()
    return [SlotSet(slot, None), SlotSet(HINT, slot)]


def declined() -> list[dict[str, Any]]:
    """No answer (the form declines the message); no hint when it asks again."""
    return [SlotSet(HINT, None)]
