"""The safety check: the last step of the NLU pipeline, on every message.

It reads each message with the trained risk model and the crisis patterns
(safety/assessment.py) and, whatever the classifiers before it said:
- urgent: sets the category's urgent intent (confidence 1.0), which a rule
  answers with the handoff response alone, so it works with the action server down;
- check-in: sets `check_in`, unless the message asked for a person or shared a
  loss, whose replies already lead to a person and name 911 and 988;
- nothing: the safety check alone decides what is urgent. An urgent reading of
  the intent classifier that the check does not share (it learns urgency from
  a few dozen examples, the risk model from thousands) becomes a check-in when
  the risk model sees some risk, else the fallback, whose reply names 911 and 988;
- always: the language entity when the message says which it is in (the
  risk model's language reading, Spanglish as Spanish; a message of one word,
  or of a few read without confidence, sets none and the conversation keeps
  its language: safety/language.py), and for a check-in the `risk_reason`
  entity; slots of those names pick the reply's language variant and fill the
  check-in's payload.
The verdict, score, pattern and detected language with its confidence are in
the parse data under "safety" (make shell DEBUG=1). Button payloads
("/faq/mat_methadone") are choices, not messages, and pass unread.

Trained by `rasa train` from data/safety/ (see safety/training_set.py) and the
NLU examples; the thresholds come from config.yml.
"""

from pathlib import Path
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.overrule import overrule_intent
from nlu_components.stored_state import StoredStateComponent, files_fingerprint
from nlu_components.topics import BUTTON_PAYLOAD
from safety.assessment import CHECK_IN, NONE, URGENT, Assessment, Thresholds, assess
from safety.categories import (
    BY_NAME,
    CARE_INTENTS,
    CHECK_IN_INTENT,
    LANGUAGE_SLOT,
    REASON_SLOT,
    URGENT_INTENTS,
)
from safety.pattern_detector import shared_detector
from safety.risk_model import RiskModel
from safety.training_set import nlu_examples, safety_examples

SAFETY_KEY = "safety"
DEFAULT_TRAINING_DATA = "data/safety"
SAFETY_PACKAGE = Path(__file__).resolve().parent.parent / "safety"
FALLBACK_INTENT = "nlu_fallback"
# Readings after which the message was not understood.
NOT_UNDERSTOOD = frozenset({FALLBACK_INTENT, "out_of_scope"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SafetyCheck(StoredStateComponent):
    STATE_FILE = "risk_model.pkl"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"training_data": DEFAULT_TRAINING_DATA}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        # The training messages, and the safety package's code (the model's
        # features, the normalizer). Rasa may pass the config without the
        # defaults merged in.
        folder = Path(config.get("training_data", DEFAULT_TRAINING_DATA))
        return files_fingerprint(folder, sorted(SAFETY_PACKAGE.glob("*.py")))

    @staticmethod
    def encode(state: RiskModel) -> bytes:
        return state.dumps()

    @staticmethod
    def decode(data: bytes) -> RiskModel:
        return RiskModel.loads(data)

    def use_state(self, config: Dict[str, Any], state: RiskModel | None) -> None:
        self._config = config
        self._model = state
        self._thresholds = Thresholds.from_config(config)
        self._detector = shared_detector()

    def train(self, training_data: TrainingData) -> Resource:
        labelled = safety_examples(Path(self._config["training_data"]))
        examples = labelled + nlu_examples(
            (example.get(INTENT), example.get(TEXT)) for example in training_data.intent_examples
        )
        # Languages only from data/safety/: the NLU examples' language is not known.
        self._model = RiskModel.train(examples, languages=labelled)
        return self.save_state(self._model)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "").strip()
            if not text or BUTTON_PAYLOAD.fullmatch(text) or not self._model:
                message.set(SAFETY_KEY, None, add_to_output=True)
                continue
            self._apply(message, self.assess(message, text))
        return messages

    def assess(self, message: Message, text: str) -> Assessment:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        assert self._model is not None
        return assess(
            text, intent not in NOT_UNDERSTOOD, self._model, self._detector, self._thresholds
        )

    def _apply(self, message: Message, assessment: Assessment) -> None:
        message.set(SAFETY_KEY, assessment.as_parse_data(), add_to_output=True)
        entities = list(message.get(ENTITIES) or [])
        if assessment.language:
            entities.append(_entity(LANGUAGE_SLOT, assessment.language, message))
        verdict, reason = assessment.verdict, assessment.category
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        classifier_urgent = intent in URGENT_INTENTS
        if verdict == CHECK_IN and intent in CARE_INTENTS:
            verdict = NONE
        if verdict == NONE and classifier_urgent:
            if assessment.reading.score >= self._thresholds.check_in_not_understood:
                verdict, reason = CHECK_IN, assessment.reading.category
            else:
                overrule_intent(message, FALLBACK_INTENT)
        if verdict == URGENT:
            overrule_intent(message, BY_NAME[assessment.category].intent)
        elif verdict == CHECK_IN:
            overrule_intent(message, CHECK_IN_INTENT)
            entities.append(_entity(REASON_SLOT, reason, message))
        message.set(ENTITIES, entities, add_to_output=True)


def _entity(name: str, value: str, message: Message) -> Dict[str, Any]:
    return {
        "entity": name,
        "value": value,
        "start": 0,
        "end": len(message.get(TEXT) or ""),
        "extractor": SafetyCheck.__name__,
    }
