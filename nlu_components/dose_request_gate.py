"""Asks for doses or drugs get the decline reply, whatever the classifier read.

Runs after the trained classifiers and before the safety check: an ask that
is also urgent ("took 6 bars and cant breathe") still gets the urgent reply,
and a message already read as urgent, as a request for a person, or as a loss
is left alone. Every other reading of an ask that safety/dose_patterns.py
recognises becomes `ask_dose_or_drugs` with confidence 1.0, and the parse data
names the pattern under "declined" (make shell DEBUG=1).
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.overrule import PatternComponent, overrule_intent
from safety.categories import CARE_INTENTS, URGENT_INTENTS
from safety.dose_patterns import dose_or_drug_request

DECLINE_INTENT = "ask_dose_or_drugs"
DECLINED_KEY = "declined"
# Readings that already lead to a person or to care, which a decline must not replace.
KEPT_INTENTS = URGENT_INTENTS | CARE_INTENTS


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DoseRequestGate(PatternComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._gate(message)
        return messages

    @staticmethod
    def _gate(message: Message) -> None:
        text: str | None = message.get(TEXT)
        intent_name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        # Button payloads ("/faq/mat_methadone") are choices, not asks.
        pattern = (
            dose_or_drug_request(text)
            if text and not text.startswith("/") and intent_name not in KEPT_INTENTS
            else None
        )
        message.set(DECLINED_KEY, pattern, add_to_output=True)
        if pattern is not None:
            overrule_intent(message, DECLINE_INTENT)
