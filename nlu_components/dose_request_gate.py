"""Asks for doses or drugs get the decline reply, whatever the classifier read.

Runs after the trained classifiers and before the safety check: an ask that
is also urgent ("took 6 bars and cant breathe") still gets the urgent reply,
and a message already read as urgent, as a request for a person, or as a loss
is left alone. Every other reading of an ask that safety/dose_patterns.py
recognises becomes `ask_dose_or_drugs` with confidence 1.0, and the parse data
names the pattern under "declined" (make shell DEBUG=1).

The patterns decide both ways: the classifier alone never declines. It read
plain medication questions as asks ("What are Suboxone and Subutex?", "will
methadone show up on a drug screening"), which then got no answer at all. When
it reads `ask_dose_or_drugs` and no pattern matches, the message gets the
topic the ResponseSelector ranked first (curated answers name no doses and
say a clinician decides), or the fallback reply when no topic fits.
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.overrule import PatternComponent, overrule_intent, select_topic
from nlu_components.topics import RETRIEVAL_INTENT
from safety.categories import CARE_INTENTS, URGENT_INTENTS
from safety.dose_patterns import dose_or_drug_request

DECLINE_INTENT = "ask_dose_or_drugs"
DECLINED_KEY = "declined"
FALLBACK_INTENT = "nlu_fallback"
# The least confidence in a topic for an undeclined ask to get its answer (as
# the topic gate's min_topic_confidence).
MIN_TOPIC_CONFIDENCE = 0.2
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
        elif intent_name == DECLINE_INTENT:
            _answer_instead(message)


def _answer_instead(message: Message) -> None:
    """The ResponseSelector's best topic for an ask no pattern recognises, else the fallback."""
    selected = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    ranking = selected.get("ranking") or []
    best = ranking[0] if ranking else {}
    if best.get("confidence", 0.0) >= MIN_TOPIC_CONFIDENCE and best.get("intent_response_key"):
        select_topic(message, best["intent_response_key"], best["confidence"], keep_ranking=True)
    else:
        overrule_intent(
            message, FALLBACK_INTENT, (message.get(INTENT) or {}).get("confidence", 0.0)
        )
