"""Nobody who writes is left without an answer, on any channel.

Rasa sends nothing when handling a message fails: a custom action whose action
server is down, an error in the pipeline, a lock that timed out. The person
then sees silence, perhaps at 2 a.m. in withdrawal. Every input channel of the
project wraps Rasa's message handler in `never_silent`: when handling a message
sent no response at all, the channel sends no_reply_text(): 911, 988 and the
helpline (SMS sends the same text when its own handling fails). It is sent by
the channel, not by Rasa, so it is not in the stored conversation. It comes in
the conversation's language (the `language` slot of its tracker) where there
is a text for it: English or Spanish.

It also puts urgent messages first (channels/urgent_first.py): one that arrives
while its conversation is still busy with an earlier message is answered at
once, so wrapping a channel's handler here gives it both promises.
"""

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Sanic
from sanic.exceptions import SanicException

from center.facts import helpline
from channels.urgent_first import urgent_first
from safety.categories import LANGUAGE_SLOT

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]

# How long to wait for the conversation's language before answering in
# English: the store may be what failed.
LANGUAGE_WAIT_S = 1.0


def no_reply_text(language: str = "en") -> str:
    """When the assistant could not answer: still every way to reach help,
    emergencies first; in Spanish for a Spanish conversation ("es"), else in
    English. Within the GSM alphabet for SMS: no á, í, ó or ú (see
    channels/sms/rendering.py), so the Spanish says "contestar"."""
    if language == "es":
        return (
            "Lo siento, ahora no puedo contestar. Emergencia: llame al 911. "
            f"Crisis suicida: llame al 988 y marque 2. Una persona: {helpline()}."
        )
    return (
        "Sorry, I can't answer that right now. Emergency: call 911. "
        f"Suicidal crisis: call or text 988. A person: {helpline()}."
    )


async def conversation_language(sender_id: str) -> str:
    """The `language` slot of the sender's conversation on the running Rasa
    server; "en" when there is none, or it cannot be read within a second."""
    try:
        agent = Sanic.get_app().ctx.agent
        tracker = await asyncio.wait_for(agent.tracker_store.retrieve(sender_id), LANGUAGE_WAIT_S)
    except (SanicException, AttributeError):
        return "en"  # no Rasa server in this process (a test, a tool)
    except Exception:
        logger.exception("Could not read the conversation's language: answered in English")
        return "en"
    return str((tracker.get_slot(LANGUAGE_SLOT) if tracker else None) or "en")


class _CountingOutput(OutputChannel):
    """The channel's own output, counting the responses Rasa sends through it."""

    def __init__(self, output: OutputChannel) -> None:
        self.output = output
        self.sent = 0

    def name(self) -> str:  # the wrapped channel's name
        return self.output.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent += 1
        await self.output.send_response(recipient_id, message)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.output, attribute)


def never_silent(on_new_message: Handler) -> Handler:
    """`on_new_message`, followed by no_reply_text() whenever it answered nothing.

    A failure is contained to the message that caused it: it is logged (never
    the text, which may hold contact details) and the person gets the reply.
    """

    on_new_message = urgent_first(on_new_message)

    async def handle(message: UserMessage) -> None:
        output = _CountingOutput(message.output_channel)
        message.output_channel = output
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("Handling a message on %s failed", output.name())
        finally:
            if output.sent == 0:
                language = await conversation_language(message.sender_id)
                await output.output.send_response(
                    message.sender_id, {"text": no_reply_text(language)}
                )

    return handle
