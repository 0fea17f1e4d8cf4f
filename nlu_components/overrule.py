"""What the pattern-based NLU components share.

When their patterns match they overrule the trained classifier's reading: the
new intent goes first (confidence 1.0 unless said) and the classifier's other
readings stay behind it in the ranking, for the logs and `make shell DEBUG=1`.
The topic gate redirects the same way.
"""

from typing import Any, Dict

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

INTENT_RANKING_KEY = "intent_ranking"


def overrule_intent(message: Message, intent_name: str, confidence: float = 1.0) -> None:
    intent = {INTENT_NAME_KEY: intent_name, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [intent] + [
        entry
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get(INTENT_NAME_KEY) != intent_name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def select_topic(
    message: Message, key: str, confidence: float = 1.0, keep_ranking: bool = False
) -> None:
    """Read `message` as the curated topic `key` (faq/<id>), exactly as the
    ResponseSelector would report it: intent `faq`, response utter_faq/<id>.
    `keep_ranking` keeps the selector's own topic ranking for the debug view."""
    retrieval_intent = key.split("/", 1)[0]
    overrule_intent(message, retrieval_intent, confidence)
    if not keep_ranking:
        message.set("intent_ranking", [message.get(INTENT)], add_to_output=True)
    selector = dict(message.get("response_selector") or {})
    previous = selector.get(retrieval_intent) or {}
    selector["all_retrieval_intents"] = [retrieval_intent]
    selector[retrieval_intent] = {
        "response": {
            "responses": None,
            PREDICTED_CONFIDENCE_KEY: confidence,
            INTENT_RESPONSE_KEY: key,
            "utter_action": f"utter_{key}",
        },
        "ranking": previous.get("ranking", []) if keep_ranking else [],
    }
    message.set("response_selector", selector, add_to_output=True)


class PatternComponent(GraphComponent):
    """A component that is not trained: made from nothing, passes training data on."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PatternComponent":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
