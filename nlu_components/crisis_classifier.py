"""The crisis detector as the last step of the NLU pipeline.

When the patterns find urgent language, the message's intent becomes the
category's urgent intent with confidence 1.0, whatever the trained classifier
or the fallback said, and the parse data records what fired under "crisis".
Messages the patterns pass over keep the trained classifier's reading: it is the
second layer, trained on data/nlu/urgent.yml.
"""

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from crisis.categories import CATEGORIES
from crisis.detector import shared_detector

CRISIS_KEY = "crisis"
INTENT_RANKING_KEY = "intent_ranking"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisClassifier(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisClassifier":
        return cls()

    def __init__(self) -> None:
        self._detector = shared_detector()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._classify(message)
        return messages

    def _classify(self, message: Message) -> None:
        text: str | None = message.get(TEXT)
        detection = self._detector.detect(text) if text else None
        if detection is None:
            message.set(CRISIS_KEY, None, add_to_output=True)
            return
        intent = {INTENT_NAME_KEY: CATEGORIES[detection.category], PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [intent] + [
            entry
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get(INTENT_NAME_KEY) != intent[INTENT_NAME_KEY]
        ]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        message.set(
            CRISIS_KEY,
            {
                "category": detection.category,
                "pattern": detection.pattern,
                "matched_categories": list(detection.matched_categories),
            },
            add_to_output=True,
        )
