"""What an SMS gets, in order: the safety check, the keywords, the opt-out,
then the assistant; and each message handled once, however often it is sent.

1. A message the safety check hands off (the assistant's NLU, as on every
   channel) is answered by the assistant before any keyword, menu number or
   opt-out applies: "stop, he's not breathing" and "I want to end it" are
   never opt-outs, and an urgent message never gets a menu hint. The check is
   read first for keywords, numbers and opted-out numbers; any other text
   reaches the assistant, whose NLU runs the same check. Bare "HELP" is a
   plea for the safety check, so it gets the reply that leads with 911, then
   988 and the helpline, followed by the carriers' HELP content (the
   program's name, STOP); INFO gets the help text, in the same order. A
   check-in (risk unclear) does not outrank an exact keyword: "STOP" stays an
   opt-out, "CALL" a call-back request.
   An urgent message from an opted-out number is answered too: safety beats
   silence. The opt-out stays recorded; nothing else is answered until START.
   (Twilio delivers that answer only if its own STOP list does not hold the
   number, error 21610: see the README on Twilio's opt-out confirmation.)
2. STOP and its synonyms: recorded, no reply (Twilio confirms the opt-out).
   ALTO and PARAR, in Spanish, are opt-outs too, which Twilio does not know:
   recorded and confirmed in Spanish. START, UNSTOP (and YES or SI from an
   opted-out number): the opt-out is lifted and confirmed. HELP, INFO, AYUDA:
   the help text, also to an opted-out number.
3. Anything else from an opted-out number: no reply, and nothing reaches the
   assistant, so nothing is stored.
4. MENU shows the menu. CALL (CALL ME, CALLBACK) asks for a call-back, as
   does a menu's "Ask for a call back": the number is held by the call-back
   queue (storage/callbacks.py, encrypted), and the assistant gets the button
   payload /request_callback, never the number; its form asks the rest. A
   number chooses from the last menu, and one that is none of its choices
   gets "Reply 1-N, or MENU" (the assistant never sees it). Other text is the
   assistant's to answer.
If the assistant fails, says nothing, or is still busy when Twilio's 15
seconds draw near (Rasa waits minutes for a hung action server), the reply is
the help lines.

Language: the channel's own texts (help, hints, confirmations, the help
lines) are in the conversation's language, the `language` slot the safety
check sets (English or Spanish; English for any other), or in Spanish when the
keyword itself is Spanish (AYUDA, ALTO, PARAR, MENÚ, LLAMAR, SÍ). A Spanish
keyword that the assistant answers (AYUDA read as a plea, MENÚ, LLAMAR) first
sets the conversation's language to Spanish, as a Spanish sentence would: one
word never switches it in the safety check.

Twilio sends a request again, with the same MessageSid, when it had no answer
in 15 s. The first request with a MessageSid claims it in a store shared by
the replicas (storage/sms_message_ids.py) and records its TwiML; a repeat gets
that TwiML, waiting a few seconds for it if the first is still being handled,
and the help lines if it never comes. Rasa sees the message once (unless the
store cannot be reached: then a repeat is handled again rather than refused).
"""

import asyncio
import enum
import inspect
import logging
import re
import unicodedata
from typing import Any, Awaitable, Callable, Iterable, Protocol

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, Event, SlotSet

from channels.never_silent import no_reply_text
from channels.sms import rendering
from channels.sms.optouts import OptOuts
from channels.sms.rendering import CHANNEL_NAME, ENGLISH, SPANISH, SmsReplies, twiml
from safety.categories import LANGUAGE_SLOT, URGENT_INTENTS
from storage.callbacks import CallbackQueue
from storage.sms_message_ids import SmsMessageIds

logger = logging.getLogger(__name__)

# The menu intent's payload (domain.yml).
MENU_PAYLOAD = "/show_menu"
# The call-back request's button payload (its form asks the rest).
CALLBACK_PAYLOAD = "/request_callback"
# How long the channel waits to read or set the conversation's language before
# it goes on without (English, or the language the conversation already has).
LANGUAGE_WAIT_S = 1.0
# Twilio gives up on the webhook after 15 s; leave time for the network.
REPLY_DEADLINE_S = 10.0
# How long a repeated request waits for the first one's reply. The first
# answers within REPLY_DEADLINE_S of its start, and a retry comes when Twilio
# gave up on it, so a reply still missing by then is not coming.
REPEAT_WAIT_S = 5.0


# --- keywords: a whole message that is one of these words ---
#
# Only a message that is exactly the keyword counts (case and a closing mark
# aside), as carriers and Twilio read them: "stop texting me about detox" is a
# question for the assistant, not an opt-out. The safety check runs before
# these (SmsHandler._answer), so an urgent message is never read as a keyword.


class Keyword(enum.Enum):
    OPT_OUT = "opt out"
    OPT_IN = "opt in"
    # Twilio also lifts its opt-out on YES; in a conversation "yes" is an
    # answer, so it opts in only a number that has opted out.
    YES = "yes"
    HELP = "help"
    MENU = "menu"
    CALL = "call"


KEYWORDS: dict[str, Keyword] = {
    # The carriers' words, which Twilio acts on too, and the FCC's (2024).
    **dict.fromkeys(
        ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT"],
        Keyword.OPT_OUT,
    ),
    **dict.fromkeys(["START", "UNSTOP"], Keyword.OPT_IN),
    "YES": Keyword.YES,
    **dict.fromkeys(["HELP", "INFO"], Keyword.HELP),
    "MENU": Keyword.MENU,
}
# Spanish: read with their accents or without ("MENÚ", "menu", "Sí"). ALTO
# and PARAR stop the assistant's replies, but Twilio does not act on them
# unless its Advanced Opt-Out lists them, so the channel confirms them itself.
SPANISH_KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(["ALTO", "PARAR"], Keyword.OPT_OUT),
    "SI": Keyword.YES,
    "AYUDA": Keyword.HELP,
    "MENU": Keyword.MENU,
}


# Asking for a call-back, read without spaces or punctuation: "Call me!",
# "call-back", "CALL ME BACK", "Llámeme". (The safety check reads the text
# first: one it hands off gets the urgent reply instead.)
CALL_WORDS = frozenset({"CALL", "CALLME", "CALLBACK", "CALLMEBACK"})
SPANISH_CALL_WORDS = frozenset({"LLAMAR", "LLAMEME", "LLAMENME", "LLAMADA"})


def _unaccented(text: str) -> str:
    """Upper case without accents: "Menú" -> "MENU", "Sí" -> "SI"."""
    decomposed = unicodedata.normalize("NFD", text.upper())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _read(text: str) -> tuple[Keyword | None, str | None]:
    """The keyword a whole message is, and its language when only Spanish has
    it (None for the carriers' words and for MENU, which both languages use)."""
    words = text.strip().rstrip(".!").split()
    said = " ".join(words).upper()
    if said in KEYWORDS:
        return KEYWORDS[said], None
    unaccented = _unaccented(" ".join(words))
    if unaccented in SPANISH_KEYWORDS:
        return SPANISH_KEYWORDS[unaccented], SPANISH
    letters = "".join(ch for ch in text if ch.isalnum())
    if letters.upper() in CALL_WORDS:
        return Keyword.CALL, None
    if _unaccented(letters) in SPANISH_CALL_WORDS:
        return Keyword.CALL, SPANISH
    return None, None


def keyword(text: str) -> Keyword | None:
    return _read(text)[0]


def keyword_language(text: str) -> str | None:
    """Spanish ("es") when the message is a keyword only Spanish has (AYUDA,
    ALTO, PARAR, SÍ, LLAMAR, or MENÚ written with its accent), else None."""
    return _read(text)[1]


# --- a number sent back ("2") chooses from the last numbered menu ---
#
# The menu is not kept by the channel: it is the buttons of the latest bot
# message that had any, in the tracker of the current session, numbered the
# way rendering.choices numbered them (in order, from 1). While a form asks
# its questions, only its latest message's buttons are a menu: a question
# without buttons reads a number itself ("9" for 9 o'clock), so then there is
# no menu at all (None) and the number goes to the assistant as it is.

_NUMBER = re.compile(r"^(\d{1,2})\s*[.)]?$")


def chosen_number(text: str) -> int | None:
    match = _NUMBER.match(text.strip())
    return int(match.group(1)) if match else None


def latest_menu(events: Iterable[Event]) -> list[dict[str, Any]]:
    for event in reversed(list(events)):
        if isinstance(event, BotUttered):
            buttons = event.data.get("buttons") or event.data.get("quick_replies")
            if buttons:
                return buttons
    return []


def form_menu(events: Iterable[Event]) -> list[dict[str, Any]] | None:
    """The buttons of the latest bot message, or None when it has none."""
    for event in reversed(list(events)):
        if isinstance(event, BotUttered):
            return event.data.get("buttons") or event.data.get("quick_replies") or None
    return None


def menu_payload(menu: list[dict[str, Any]], number: int) -> str | None:
    return menu[number - 1].get("payload") if 1 <= number <= len(menu) else None


# --- the assistant ---


class Assistant(Protocol):
    """The conversation of one sender with the assistant."""

    async def is_urgent(self, text: str) -> bool:
        """Whether the safety check hands the text off."""
        ...

    async def last_menu(self) -> list[dict[str, Any]] | None:
        """The choices a number picks from ([]: none were sent); None when the
        assistant reads numbers itself (a form's question without buttons)."""
        ...

    async def ask(self, text: str) -> str: ...

    # Optional (a stand-in assistant may leave them out; then English):
    # async def language(self) -> str: the conversation's language, "en" if unknown.
    # async def use_language(self, language: str) -> None: the conversation
    #     goes on in that language, from the next reply on.


class RasaConversation:
    """One sender's conversation with the Rasa assistant, as SmsHandler needs it."""

    def __init__(
        self,
        agent: Agent,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender_id: str,
    ) -> None:
        self._agent = agent
        self._on_new_message = on_new_message
        self._sender_id = sender_id

    async def is_urgent(self, text: str) -> bool:
        """The safety check (the model's whole NLU, as on every channel) hands it off."""
        parse = await self._agent.parse_message(text)
        return (parse.get("intent") or {}).get("name") in URGENT_INTENTS

    async def last_menu(self) -> list[dict[str, Any]] | None:
        tracker = await self._agent.tracker_store.retrieve(self._sender_id)
        if not tracker:
            return []
        if tracker.active_loop_name:
            return form_menu(tracker.events)
        return latest_menu(tracker.events)

    async def ask(self, text: str) -> str:
        replies = SmsReplies()
        # No metadata: Twilio's fields (From above all) stay out of the tracker.
        await self._on_new_message(
            UserMessage(text, replies, self._sender_id, input_channel=CHANNEL_NAME)
        )
        # The language after this message, which may have switched it.
        return replies.text(await self.language())

    async def language(self) -> str:
        """The conversation's language (the `language` slot); English when
        there is no conversation yet or it cannot be read in time."""
        try:
            tracker = await asyncio.wait_for(
                self._agent.tracker_store.retrieve(self._sender_id), LANGUAGE_WAIT_S
            )
        except Exception:  # a slow or failing store: the text goes out in English
            logger.exception("Could not read an SMS conversation's language: English it is")
            return ENGLISH
        return str((tracker.get_slot(LANGUAGE_SLOT) if tracker else None) or ENGLISH)

    async def use_language(self, language: str) -> None:
        """Sets the conversation's language (a Spanish keyword), as the safety
        check sets it for a sentence. Only when no message of the conversation
        is being handled: its tracker is saved under the conversation's lock,
        and a busy conversation is not waited for (an urgent reply must not)."""
        agent = self._agent
        lock = agent.lock_store.get_lock(self._sender_id)
        if lock is not None and any(not ticket.has_expired() for ticket in lock.tickets):
            return
        try:
            await asyncio.wait_for(self._set_language(language), LANGUAGE_WAIT_S)
        except Exception:
            logger.exception("Could not set an SMS conversation's language")

    async def _set_language(self, language: str) -> None:
        agent = self._agent
        async with agent.lock_store.lock(self._sender_id):
            # As Rasa would before the message: a new or expired session starts
            # first, so its fresh slots do not undo the language.
            tracker = await agent.processor.fetch_tracker_and_update_session(
                self._sender_id, SmsReplies()
            )
            if tracker.get_slot(LANGUAGE_SLOT) != language:
                tracker.update(SlotSet(LANGUAGE_SLOT, language))
                await agent.processor.save_tracker(tracker)


# --- the call-back queue: where CALL leaves the number ---


class NumberHolder(Protocol):
    """storage.callbacks.CallbackQueue, as the channel uses it."""

    def hold_number(self, sender_id: str, phone: str, channel: str) -> None:
        """Keeps the number (encrypted) for this conversation's pending request."""
        ...


def open_callback_queue() -> NumberHolder:
    """The call-back queue its environment describes (opened when first needed)."""
    return CallbackQueue.from_environment()


# --- deciding the answer ---

# Handlings that outlive their request (Twilio hung up); kept so they are not
# garbage-collected before they record their reply.
_in_flight: set[asyncio.Future] = set()


class SmsHandler:
    def __init__(
        self,
        optouts: OptOuts,
        deadline_s: float = REPLY_DEADLINE_S,
        message_ids: SmsMessageIds | None = None,
        repeat_wait_s: float = REPEAT_WAIT_S,
        callback_queue: Callable[[], NumberHolder] = open_callback_queue,
    ) -> None:
        self._optouts = optouts
        self._deadline_s = deadline_s
        # Set by the channel once the server has its tracker store; without
        # it every request is handled.
        self.message_ids = message_ids
        self._repeat_wait_s = repeat_wait_s
        # Opened at the first CALL, and again after a failure.
        self._open_callback_queue = callback_queue
        self._callback_queue: NumberHolder | None = None

    @classmethod
    def with_optouts(cls, db: str, setting: str) -> "SmsHandler":
        """`db`: the opt-outs' SQLAlchemy URL or SQLite path; `setting` names it."""
        return cls(OptOuts(db, setting))

    async def respond(
        self,
        message_sid: str,
        sender_id: str,
        text: str,
        assistant: Assistant,
        phone: str | None = None,
    ) -> str:
        """The webhook's TwiML for one inbound SMS; a repeated MessageSid gets the first's.

        `phone`, the sender's number, is used only to hold it for a call-back
        request (CALL); it is never logged nor given to the assistant."""
        if not self._claim(message_sid):
            logger.info("A repeated SMS webhook request: sent the first request's reply")
            return await self._first_reply(message_sid, assistant)
        # Carried to the end even if Twilio hangs up first (Sanic then cancels
        # the request): the retry that follows gets this reply.
        handling = asyncio.ensure_future(
            self._answer_once(message_sid, sender_id, text, assistant, phone)
        )
        _in_flight.add(handling)
        handling.add_done_callback(_in_flight.discard)
        return await asyncio.shield(handling)

    def _claim(self, message_sid: str) -> bool:
        if self.message_ids is None:
            return True
        try:
            return self.message_ids.claim(message_sid)
        except Exception:
            # Better a message handled twice than one not answered.
            logger.exception("Could not claim an SMS message id: handled the message all the same")
            return True

    async def _first_reply(self, message_sid: str, assistant: Assistant) -> str:
        try:
            reply = await self.message_ids.wait_for_reply(message_sid, self._repeat_wait_s)
        except Exception:
            logger.exception("Could not read the first reply to a repeated SMS")
            reply = None
        if reply is None:
            logger.error("The first request of a repeated SMS has no reply: sent the help lines")
            return twiml(no_reply_text(await language_of(assistant)))
        return reply

    async def _answer_once(
        self,
        message_sid: str,
        sender_id: str,
        text: str,
        assistant: Assistant,
        phone: str | None,
    ) -> str:
        reply = twiml(await self.answer(sender_id, text, assistant, phone))
        if self.message_ids is not None:
            try:
                self.message_ids.record_reply(message_sid, reply)
            except Exception:
                logger.exception("Could not record the reply to an SMS for its retries")
        return reply

    async def answer(
        self, sender_id: str, text: str, assistant: Assistant, phone: str | None = None
    ) -> str | None:
        """The reply to send, or None for no reply."""
        reply = self._answer(sender_id, text, assistant, phone)
        try:
            return await asyncio.wait_for(reply, self._deadline_s)
        except asyncio.TimeoutError:
            logger.error("No SMS reply within %.0f s: sent the help lines", self._deadline_s)
        except Exception:
            logger.exception("Failed to answer an SMS: sent the help lines")
        # Whatever went wrong, the person still gets the ways to reach help.
        return no_reply_text(keyword_language(text) or await language_of(assistant))

    async def _answer(
        self, sender_id: str, text: str, assistant: Assistant, phone: str | None
    ) -> str | None:
        word, spanish = _read(text)
        number = chosen_number(text) if word is None else None
        opted_out = self._optouts.is_opted_out(sender_id)
        # Text the assistant is asked goes through its safety check anyway; read
        # it first wherever the channel would answer instead: a keyword, a
        # number (which may get a menu hint), an opted-out number.
        if (
            text
            and (word is not None or number is not None or opted_out)
            and await assistant.is_urgent(text)
        ):
            if opted_out:
                logger.info("Answering an urgent SMS from an opted-out number")
            if spanish and word is not Keyword.YES:
                await use_language(assistant, spanish)
            reply = await self._ask(assistant, text)
            if word is not Keyword.HELP:
                return reply
            # A bare HELP: the urgent reply, then what carriers require of HELP.
            return rendering.with_help_content(reply, spanish or await language_of(assistant))

        if word is Keyword.OPT_OUT:
            self._optouts.opt_out(sender_id)
            logger.info("SMS opt-out recorded")
            # Twilio confirms its own words; nobody else confirms ALTO or PARAR.
            return rendering.stopped(spanish) if spanish else None
        if word is Keyword.HELP:
            return rendering.help_text(spanish or await language_of(assistant))
        if word is Keyword.OPT_IN or (word is Keyword.YES and opted_out):
            self._optouts.opt_in(sender_id)
            logger.info("SMS opt-out lifted")
            return rendering.resumed(spanish or await language_of(assistant))
        if opted_out:
            return None

        if word is Keyword.MENU:
            if spanish:
                await use_language(assistant, spanish)
            return await self._ask(assistant, MENU_PAYLOAD)
        if word is Keyword.CALL or text == CALLBACK_PAYLOAD:
            if spanish:
                await use_language(assistant, spanish)
            return await self._request_callback(sender_id, phone, assistant)
        if not text:
            return rendering.text_only(await language_of(assistant))
        if number is not None:
            menu = await assistant.last_menu()
            if menu is None:  # a form's question reads the number itself
                return await self._ask(assistant, text)
            choice = menu_payload(menu, number)
            if choice == CALLBACK_PAYLOAD:  # "Ask for a call back" from a menu: as CALL
                return await self._request_callback(sender_id, phone, assistant)
            if choice:
                return await self._ask(assistant, choice)
            return rendering.wrong_number(len(menu), await language_of(assistant))
        return await self._ask(assistant, text)

    async def _request_callback(
        self, sender_id: str, phone: str | None, assistant: Assistant
    ) -> str:
        """CALL: the number held by the call-back queue, then the assistant's
        form, started by its button payload. The assistant never gets the
        number; without the queue, the person gets the helpline to call."""
        if phone is None or not await self._hold_number(sender_id, phone):
            return rendering.callback_unavailable(await language_of(assistant))
        logger.info("SMS call-back request: number held, form started")
        return await self._ask(assistant, CALLBACK_PAYLOAD)

    async def _hold_number(self, sender_id: str, phone: str) -> bool:
        try:
            if self._callback_queue is None:
                self._callback_queue = self._open_callback_queue()
            held = self._callback_queue.hold_number(sender_id, phone, CHANNEL_NAME)
            if inspect.isawaitable(held):
                await held
            return True
        except Exception as error:
            self._log_hold_failure(error)
        # Opened afresh next time: the database may be back.
        self._callback_queue = None
        return False

    @staticmethod
    def _log_hold_failure(error: BaseException) -> None:
        # The kind of error only: its message or traceback could hold the number.
        logger.error(
            "Could not hold the number for an SMS call-back request (%s): sent the helpline",
            type(error).__name__,
        )

    @staticmethod
    async def _ask(assistant: Assistant, text: str) -> str:
        reply = await assistant.ask(text)
        if not reply:
            # Silence from the assistant (no model loaded, say) must not leave
            # someone who wrote in without the ways to reach help.
            logger.error("The assistant gave no reply to an SMS: sent the help lines")
            return no_reply_text(await language_of(assistant))
        return reply


async def language_of(assistant: Assistant) -> str:
    """The conversation's language for the channel's own texts: "es" or "en"."""
    read = getattr(assistant, "language", None)
    if read is None:
        return ENGLISH
    try:
        language = await read()
    except Exception:
        logger.exception("Could not read an SMS conversation's language: English it is")
        return ENGLISH
    return SPANISH if language == SPANISH else ENGLISH


async def use_language(assistant: Assistant, language: str) -> None:
    """The conversation goes on in `language` (a keyword in it), where the assistant can."""
    switch = getattr(assistant, "use_language", None)
    if switch is not None:
        await switch(language)
