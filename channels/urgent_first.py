"""An urgent message never waits behind a busy conversation.

Rasa handles one message of a conversation at a time: it holds the
conversation's lock while it handles a message, custom actions included, and
it waits up to 300 s for the action server (a timeout Rasa 3.6 hard-codes). A
hung action server would hold back an overdose message sent in the same
conversation for that long.

So when a message arrives while its conversation's lock is taken, it is read
first, without the lock (the whole NLU, the safety check included). If the
safety check hands it off, its urgent response is rendered the way Rasa would
render it (the conversation's language, the channel's variant, the handoff
payload) and sent at once. Rasa then handles the message in the background
with its replies muted, so the stored conversation keeps it and the person is
not sent the handoff twice. A message that arrives while nobody holds the lock
goes straight to Rasa: it has nothing to wait for.

The urgent reply is a response alone, as in data/rules/urgent.yml: no custom
action is involved, so it works with the action server down or hung.
"""

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict

from rasa.core.actions.action import create_bot_utterance
from rasa.core.agent import Agent
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic
from sanic.exceptions import SanicException

from safety.categories import CATEGORIES

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]

RESPONSE_OF_INTENT = {category.intent: category.response for category in CATEGORIES}
# The slots the safety check fills from its entities, which the reply uses.
REPLY_SLOTS = ("language", "risk_reason")

# Rasa's handling of messages answered early; kept so the tasks are not
# garbage-collected before they finish.
_background: set[asyncio.Task] = set()


class _Muted(OutputChannel):
    """Drops what Rasa sends: the person already has the urgent reply."""

    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        return None


def _agent() -> Agent | None:
    """The Rasa server's agent (`rasa run` makes one Sanic app), or None."""
    try:
        agent = Sanic.get_app().ctx.agent
    except (SanicException, AttributeError):
        return None
    return agent if agent is not None and agent.is_ready() else None


def _conversation_busy(agent: Agent, sender_id: str) -> bool:
    """Whether a message of this conversation is being handled (holds a live ticket)."""
    lock = agent.lock_store.get_lock(sender_id)
    return lock is not None and any(not ticket.has_expired() for ticket in lock.tickets)


async def _urgent_reply(agent: Agent, message: UserMessage) -> Dict[str, Any] | None:
    """The urgent response for `message`, rendered as Rasa would; None if not urgent."""
    parse = await agent.parse_message(message.text or "")
    response = RESPONSE_OF_INTENT.get((parse.get("intent") or {}).get("name"))
    if response is None:
        return None
    stored = await agent.tracker_store.retrieve(message.sender_id)
    tracker = stored or DialogueStateTracker(message.sender_id, agent.domain.slots)
    for entity in parse.get("entities") or []:
        if entity.get("entity") in REPLY_SLOTS:
            tracker.update(SlotSet(entity["entity"], entity.get("value")))
    channel = message.output_channel.name()
    rendered = await agent.processor.nlg.generate(response, tracker, channel)
    return create_bot_utterance(rendered).message() if rendered else None


async def _handle_muted(on_new_message: Handler, message: UserMessage) -> None:
    muted = UserMessage(
        message.text,
        _Muted(message.output_channel.name()),
        message.sender_id,
        input_channel=message.input_channel,
        message_id=message.message_id,
    )
    try:
        await on_new_message(muted)
    except Exception:  # logged, never raised: the person already has the reply
        logger.exception("Storing an urgent message answered early failed")


def urgent_first(on_new_message: Handler) -> Handler:
    """`on_new_message`, but an urgent message in a busy conversation is answered at once."""

    async def handle(message: UserMessage) -> None:
        agent = _agent()
        if agent is None or not _conversation_busy(agent, message.sender_id):
            await on_new_message(message)
            return
        reply = await _urgent_reply(agent, message)
        if reply is None:
            await on_new_message(message)
            return
        logger.info("An urgent message was answered ahead of its busy conversation.")
        await message.output_channel.send_response(message.sender_id, reply)
        task = asyncio.create_task(_handle_muted(on_new_message, message))
        _background.add(task)
        task.add_done_callback(_background.discard)

    return handle
