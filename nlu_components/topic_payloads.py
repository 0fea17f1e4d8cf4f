"""Button payloads that name a curated topic: `/faq/<id>`.

Rasa's own `/intent` payload parsing only knows domain intents, so a retrieval
topic like `/faq/mat_methadone` would otherwise be classified as free text.
This component learns the topic ids from the training data and, for such a
payload, sets the intent `faq` and the selected response `utter_faq/<id>`
exactly as the ResponseSelector would.
"""

import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    INTENT_RESPONSE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.overrule import select_topic
from nlu_components.stored_state import JsonStateComponent
from nlu_components.topics import RETRIEVAL_INTENT

_PAYLOAD = re.compile(rf"^/{RETRIEVAL_INTENT}/([a-z0-9_]+)$")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicPayloadHandler(JsonStateComponent):
    STATE_FILE = "topics.json"

    def use_state(self, config: Dict[str, Any], state: list[str] | None) -> None:
        self._topics = set(state or [])

    def train(self, training_data: TrainingData) -> Resource:
        prefix = f"{RETRIEVAL_INTENT}/"
        self._topics = {
            key[len(prefix) :]
            for key in training_data.responses
            if key.startswith("utter_" + prefix)
        } | {
            example.get(INTENT_RESPONSE_KEY)[len(prefix) :]
            for example in training_data.intent_examples
            if (example.get(INTENT_RESPONSE_KEY) or "").startswith(prefix)
        }
        return self.save_state(sorted(self._topics))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            topic = self._topic(message.get(TEXT))
            if topic:
                select_topic(message, f"{RETRIEVAL_INTENT}/{topic}")
        return messages

    def _topic(self, text: str | None) -> str | None:
        match = _PAYLOAD.match((text or "").strip())
        return match.group(1) if match and match.group(1) in self._topics else None
