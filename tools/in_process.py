"""The trained assistant loaded in this process, with no servers.

Evaluations and tests use it to parse messages and to hold whole
conversations without an action server: what still works then is exactly
what must work when the action server is down.
"""

import asyncio
import logging
import os
import subprocess
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.utils.log_utils import configure_structlog

ROOT = Path(__file__).resolve().parent.parent


def model_path() -> str:
    """LAR_MODEL as set by make, else the model for the current data (trained if needed)."""
    path = (
        os.environ.get("LAR_MODEL")
        or subprocess.run(
            ["tools/model.sh"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    return str(ROOT / path)


class Assistant:
    def __init__(self, model: str | None = None) -> None:
        # Parsing thousands of messages: keep Rasa's per-message debug log quiet.
        configure_structlog(logging.WARNING)
        logging.getLogger("rasa").setLevel(logging.ERROR)
        self._loop = asyncio.new_event_loop()
        self.agent = Agent.load(model or model_path())

    def parse(self, text: str) -> dict[str, Any]:
        return self._loop.run_until_complete(self.agent.parse_message(text))

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        """The bot's replies to one message, as the REST channel returns them."""
        return self._loop.run_until_complete(self.agent.handle_text(text, sender_id=sender)) or []

    def last_reading(self, sender: str, text: str) -> str:
        """What the NLU made of `text` said in this conversation: faq/<id> or the intent."""
        from rasa.shared.core.events import UserUttered

        from nlu_components.topics import selected_topic

        self.say(sender, text)
        # The message's own event: `latest_message` is emptied when the
        # message restarts the conversation ("start over").
        said = [e for e in self.tracker(sender).events if isinstance(e, UserUttered)]
        parse = said[-1].parse_data
        return selected_topic(parse) or parse["intent"]["name"]

    def tracker(self, sender: str):
        """The whole conversation, also what came before a restart."""
        return self._loop.run_until_complete(self.agent.tracker_store.retrieve_full_tracker(sender))

    def close(self) -> None:
        self._loop.close()
