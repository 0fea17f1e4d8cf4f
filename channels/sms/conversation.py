"""One sender's conversation with the Rasa assistant, as handling.py needs it."""

from typing import Any, Awaitable, Callable

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage

from channels.sms import menu_choices
from channels.sms.replies import CHANNEL_NAME, SmsReplies
from safety.categories import URGENT_INTENTS


class RasaConversation:
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

    async def last_menu(self) -> list[dict[str, Any]]:
        tracker = await self._agent.tracker_store.retrieve(self._sender_id)
        return menu_choices.last_menu(tracker.events) if tracker else []

    async def ask(self, text: str) -> str:
        replies = SmsReplies()
        # No metadata: Twilio's fields (From above all) stay out of the tracker.
        await self._on_new_message(
            UserMessage(text, replies, self._sender_id, input_channel=CHANNEL_NAME)
        )
        return replies.text()
