"""Keeps curated answers for messages that are about a curated topic.

The intent classifier treats all 34 topics as one large class, `faq`, and is
often sure of it for messages that have nothing to do with recovery ("how do
I reverse a string in python"). Two checks after it turn such readings into
the out-of-scope or fallback reply, which offer the menu and the helpline:

- the ResponseSelector's confidence in the topic it chose is below
  `min_topic_confidence`: the message matches no topic well -> nlu_fallback;
- the message shares no word with the topics' training examples that is more
  typical of the topics than of off-topic chat -> out_of_scope.
"""

import re
from collections import Counter
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.lang.en.stop_words import STOP_WORDS

from nlu_components.overrule import overrule_intent
from nlu_components.stored_state import JsonStateComponent
from nlu_components.topics import RETRIEVAL_INTENT

OFF_TOPIC_INTENT = "out_of_scope"
FALLBACK_INTENT = "nlu_fallback"
_WORD = re.compile(r"[a-z0-9']+")
_STOP = frozenset(STOP_WORDS) | {"whats", "im", "u", "ur", "pls", "dont", "cant", "ok", "hi"}
# Typos and word forms: "withdrawl" meets "withdrawal" on its first letters.
_PREFIX = 5


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicGate(JsonStateComponent):
    STATE_FILE = "topic_vocabulary.json"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"min_topic_confidence": 0.2}

    def use_state(self, config: Dict[str, Any], state: list[str] | None) -> None:
        self._min_confidence = config["min_topic_confidence"]
        self._vocabulary = set(state or [])
        self._prefixes = {w[:_PREFIX] for w in self._vocabulary if len(w) >= _PREFIX}

    def train(self, training_data: TrainingData) -> Resource:
        topic, off_topic = Counter(), Counter()
        for example in training_data.intent_examples:
            counter = {RETRIEVAL_INTENT: topic, OFF_TOPIC_INTENT: off_topic}.get(
                example.get(INTENT)
            )
            if counter is not None:
                counter.update(set(words(example.get(TEXT))))
        return self.save_state(sorted(w for w, n in topic.items() if n > 3 * off_topic[w]))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != RETRIEVAL_INTENT:
                continue
            if self._topic_confidence(message) < self._min_confidence:
                self._redirect(message, FALLBACK_INTENT, "no topic fits well")
            elif not self._mentions_a_topic(message.get(TEXT) or ""):
                self._redirect(message, OFF_TOPIC_INTENT, "no topic word")
        return messages

    @staticmethod
    def _topic_confidence(message: Message) -> float:
        selected = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
        return (selected.get("response") or {}).get(PREDICTED_CONFIDENCE_KEY, 1.0)

    def _mentions_a_topic(self, text: str) -> bool:
        return any(
            w in self._vocabulary or (len(w) >= _PREFIX and w[:_PREFIX] in self._prefixes)
            for w in words(text)
        )

    @staticmethod
    def _redirect(message: Message, intent_name: str, reason: str) -> None:
        overrule_intent(message, intent_name, message.get(INTENT)[PREDICTED_CONFIDENCE_KEY])
        message.set("topic_gate", reason, add_to_output=True)
