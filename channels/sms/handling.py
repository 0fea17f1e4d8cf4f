"""What an SMS gets, in order: the safety check, the keywords, the opt-out,
then the assistant.

1. A message the safety check hands off (the assistant's NLU, as on every
   channel) is answered by the assistant before any keyword or opt-out
   applies: "stop, he's not breathing" and "I want to end it" are never
   opt-outs. The check is read first only for keywords and opted-out numbers;
   any other text reaches the assistant, whose NLU runs the same check. Bare
   "HELP" is a plea for the safety check, so it gets the reply that leads with
   911, then 988 and the helpline; INFO gets the help text. A check-in (risk
   unclear) does not outrank an exact keyword: "STOP" stays an opt-out.
   An urgent message from an opted-out number is answered too: safety beats
   silence. The opt-out stays recorded; nothing else is answered until START.
   (Twilio delivers that answer only if its own STOP list does not hold the
   number, error 21610: see the README on Twilio's opt-out confirmation.)
2. STOP and its synonyms: recorded, no reply (Twilio confirms the opt-out).
   START, UNSTOP (and YES from an opted-out number): the opt-out is lifted and
   confirmed. HELP, INFO: the help text, also to an opted-out number.
3. Anything else from an opted-out number: no reply, and nothing reaches the
   assistant, so nothing is stored.
4. MENU shows the menu; a number chooses from the last menu; other text is
   the assistant's to answer.
If the assistant fails, says nothing, or is still busy when Twilio's 15
seconds draw near (Rasa waits minutes for a hung action server), the reply is
the help lines.
"""

import asyncio
import logging
from typing import Any, Protocol

from channels.never_silent import no_reply_text
from channels.sms import menu_choices, notices
from channels.sms.keywords import Keyword, keyword
from channels.sms.optouts import OptOuts

logger = logging.getLogger(__name__)

# The menu intent's payload (domain.yml).
MENU_PAYLOAD = "/show_menu"
# Twilio gives up on the webhook after 15 s; leave time for the network.
REPLY_DEADLINE_S = 10.0


class Assistant(Protocol):
    """The conversation of one sender with the assistant."""

    async def is_urgent(self, text: str) -> bool:
        """Whether the safety check hands the text off."""
        ...

    async def last_menu(self) -> list[dict[str, Any]]: ...

    async def ask(self, text: str) -> str: ...


class SmsHandler:
    def __init__(
        self,
        optouts: OptOuts,
        deadline_s: float = REPLY_DEADLINE_S,
    ) -> None:
        self._optouts = optouts
        self._deadline_s = deadline_s

    async def answer(self, sender_id: str, text: str, assistant: Assistant) -> str | None:
        """The reply to send, or None for no reply."""
        reply = self._answer(sender_id, text, assistant)
        try:
            return await asyncio.wait_for(reply, self._deadline_s)
        except asyncio.TimeoutError:
            logger.error("No SMS reply within %.0f s: sent the help lines", self._deadline_s)
        except Exception:
            logger.exception("Failed to answer an SMS: sent the help lines")
        # Whatever went wrong, the person still gets the ways to reach help.
        return no_reply_text()

    async def _answer(self, sender_id: str, text: str, assistant: Assistant) -> str | None:
        word = keyword(text)
        opted_out = self._optouts.is_opted_out(sender_id)
        # Text the assistant is asked goes through its safety check anyway; read
        # it first only where a keyword or an opt-out would answer instead.
        if text and (word is not None or opted_out) and await assistant.is_urgent(text):
            if opted_out:
                logger.info("Answering an urgent SMS from an opted-out number")
            return await self._ask(assistant, text)

        if word is Keyword.OPT_OUT:
            self._optouts.opt_out(sender_id)
            logger.info("SMS opt-out recorded")
            return None
        if word is Keyword.HELP:
            return notices.help_text()
        if word is Keyword.OPT_IN or (word is Keyword.YES and opted_out):
            self._optouts.opt_in(sender_id)
            logger.info("SMS opt-out lifted")
            return notices.resumed()
        if opted_out:
            return None

        if word is Keyword.MENU:
            return await self._ask(assistant, MENU_PAYLOAD)
        if not text:
            return notices.text_only()
        number = menu_choices.chosen_number(text)
        if number is not None:
            choice = menu_choices.payload(await assistant.last_menu(), number)
            return await self._ask(assistant, choice or text)
        return await self._ask(assistant, text)

    @staticmethod
    async def _ask(assistant: Assistant, text: str) -> str:
        reply = await assistant.ask(text)
        if not reply:
            # Silence from the assistant (no model loaded, say) must not leave
            # someone who wrote in without the ways to reach help.
            logger.error("The assistant gave no reply to an SMS: sent the help lines")
            return no_reply_text()
        return reply
