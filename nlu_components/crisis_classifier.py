"""The crisis detector as the last step of the NLU pipeline.

When the patterns find urgent language, the message's intent becomes the
category's urgent intent with confidence 1.0, whatever the trained classifier
or the fallback said, and the parse data records what fired under "crisis".
Messages the patterns pass over keep the trained classifier's reading: it is the
second layer, trained on data/nlu/urgent.yml.
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from crisis.categories import CATEGORIES
from crisis.detector import shared_detector
from nlu_components.overrule import PatternComponent, overrule_intent

CRISIS_KEY = "crisis"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisClassifier(PatternComponent):
    def __init__(self) -> None:
        self._detector = shared_detector()

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
        overrule_intent(message, CATEGORIES[detection.category])
        message.set(
            CRISIS_KEY,
            {
                "category": detection.category,
                "pattern": detection.pattern,
                "matched_categories": list(detection.matched_categories),
            },
            add_to_output=True,
        )
