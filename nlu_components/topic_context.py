"""Reads a topic question in the light of the conversation: follow-ups and close calls.

Two things the ResponseSelector cannot do on its own, since it reads each
message alone:

- **Follow-ups.** "how long do people stay on it?" after the methadone answer
  is about methadone. When one of the last two messages got a curated answer
  and the new one is short, the topics are read again in that light: the
  follow-up model (nlu_components/follow_up_model.py), which reads the words
  with the previous topic, is mixed with the selector's ranking, in which the
  previous topic and the topics of its area (the file in data/content/ it
  lives in) weigh more. A message the selector read as a topic takes the
  mixed reading when it is sure enough; one it did not understand takes it
  only when it also refers back ("it", "that", "what about ...") and the
  mixed reading clears a lower bar, so "what's the weather" after methadone
  still gets no curated answer. The answer is still a curated one,
  `utter_faq/<id>`, of whichever topic then ranks first.
- **Close calls.** When the two best topics are nearly tied and neither is
  sure, the reading becomes `choose_topic` with both topics, and their titles
  in the conversation's language, as entities; the reply (utter_choose_topic,
  a response alone) asks "Did you mean A or B?" with `/faq/<id>` buttons, which
  SMS shows as numbered choices. A topic's title is its button on the area
  menus of domain.yml, where every topic has one.

Rasa hands the component the conversation's tracker because `process` asks
for it (the default recipe wires a `tracker` argument to the tracker being
handled); it is None when a message is parsed on its own, so nothing here
depends on it being there. The stored conversation keeps each message's topic
(storage/tracker_store.py), so follow-ups work after a restart and across
replicas. The safety check and the dose gate run after this component, so a
follow-up can still be handed off or declined.
"""

import pickle
import re
from pathlib import Path
from typing import Any, Dict, List

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components import follow_up_model
from nlu_components.follow_up_model import FollowUpModel, conversations
from nlu_components.overrule import overrule_intent, select_topic
from nlu_components.stored_state import StoredStateComponent, files_fingerprint
from nlu_components.topics import BUTTON_PAYLOAD, RETRIEVAL_INTENT, selected_topic
from safety.categories import DEFAULT_LANGUAGE, LANGUAGE_SLOT

CHOOSE_TOPIC_INTENT = "choose_topic"
# The entities (and slots) that name the two topics of a close call, and their titles.
CHOICE_ENTITIES = ("topic_choice_1", "topic_choice_2")
_WORD = re.compile(r"[a-z']+")
# Words and openings that lean on what was said before.
_REFERRING = frozenset(
    {"it", "its", "it's", "that", "thats", "those", "these", "this", "them", "they", "there"}
    | {"one", "ones", "same"}
)
_CONTINUING = ("and ", "what about", "how about", "what if", "also ", "so ", "but ", "then ")
# Readings a follow-up may replace: a topic, or nothing understood. Anything
# the classifier read as something else ("where is that from?" asks for the
# sources, "thanks for that") keeps its reading.
_NOT_UNDERSTOOD = frozenset({"nlu_fallback", "out_of_scope"})


def previous_topic(tracker: DialogueStateTracker | None, turns: int = 2) -> str | None:
    """faq/<id> of the latest curated-topic question among the last `turns` messages."""
    if tracker is None:
        return None
    seen = 0
    for event in reversed(tracker.events):
        if not isinstance(event, UserUttered):
            continue
        topic = selected_topic(event.parse_data or {})
        if topic:
            return topic
        seen += 1
        if seen >= turns:
            return None
    return None


def refers_back(text: str, max_words: int) -> bool:
    """A short message that leans on the previous one ("is it safe when pregnant?")."""
    lowered = text.lower().strip()
    tokens = _WORD.findall(lowered)
    if not tokens or len(tokens) > max_words:
        return False
    return lowered.startswith(_CONTINUING) or any(t in _REFERRING for t in tokens)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicContext(StoredStateComponent):
    STATE_FILE = "topic_context.pkl"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Where the topics live: each file of data/content/ is an area.
            "content": "data/content",
            # Two-turn conversations the follow-up model learns from.
            "follow_ups": "data/follow_ups",
            "follow_up_max_words": 12,
            # Follow-ups: how much more the previous topic and its area weigh
            # in the selector's ranking, and the follow-up model's share of the mix.
            "same_topic_boost": 2.0,
            "same_area_boost": 1.0,
            "follow_up_model_weight": 0.7,
            # The mixed reading a follow-up needs: read as a topic before, or
            # not understood but referring back.
            "follow_up_min_confidence": 0.4,
            "referring_min_confidence": 0.2,
            # Close calls: the best topic is below `choice_ceiling` and the
            # second is within `choice_margin` of it.
            "choice_ceiling": 0.5,
            "choice_margin": 0.2,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        # The conversations, and the follow-up model's code.
        folder = Path(config.get("follow_ups", cls.get_default_config()["follow_ups"]))
        return files_fingerprint(folder, [Path(follow_up_model.__file__)])

    @staticmethod
    def encode(state: Dict[str, Any]) -> bytes:
        return pickle.dumps(state)

    @staticmethod
    def decode(data: bytes) -> Dict[str, Any]:
        state = pickle.loads(data)  # noqa: S301 - the component's own file, written by train()
        if not isinstance(state.get("model"), FollowUpModel):
            raise TypeError("not a TopicContext state")
        return state

    def use_state(self, config: Dict[str, Any], state: Dict[str, Any] | None) -> None:
        self._config = config
        state = state or {}
        self._area: Dict[str, str] = state.get("area", {})
        # language -> faq/<id> -> the title its menu button shows.
        self._title: Dict[str, Dict[str, str]] = state.get("title", {})
        self._model: FollowUpModel | None = state.get("model")

    def train(self, training_data: TrainingData) -> Resource:
        area: Dict[str, str] = {}
        for path in sorted(Path(self._config["content"]).glob("*.yml")):
            for block in yaml.safe_load(path.read_text()).get("nlu") or []:
                if str(block.get("intent", "")).startswith(f"{RETRIEVAL_INTENT}/"):
                    area[block["intent"]] = path.stem
        examples = [
            (example.get(TEXT), example.get(INTENT_RESPONSE_KEY))
            for example in training_data.intent_examples
            if example.get(INTENT_RESPONSE_KEY) in area
        ]
        follow_ups = [
            {
                "first_topic": f"{RETRIEVAL_INTENT}/{conversation['first_topic']}",
                "then": conversation["then"],
                "topic": f"{RETRIEVAL_INTENT}/{conversation['topic']}",
            }
            for conversation in conversations(Path(self._config["follow_ups"]))
        ]
        return self.save_state(
            {
                "area": area,
                "title": menu_titles(training_data.responses),
                "model": FollowUpModel.train(area, examples, follow_ups),
            }
        )

    def process(
        self, messages: List[Message], tracker: DialogueStateTracker | None = None
    ) -> List[Message]:
        earlier = previous_topic(tracker)
        language = (tracker.get_slot(LANGUAGE_SLOT) if tracker else None) or DEFAULT_LANGUAGE
        for message in messages:
            text = message.get(TEXT) or ""
            if BUTTON_PAYLOAD.fullmatch(text.strip()):
                continue
            ranking = _ranking(message)
            if not ranking:
                continue
            reading = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if earlier and self._follow_up(message, text, reading, ranking, earlier):
                continue
            if reading == RETRIEVAL_INTENT:
                self._close_call(message, ranking, language)
        return messages

    def _follow_up(
        self,
        message: Message,
        text: str,
        reading: str | None,
        ranking: List[tuple[str, float]],
        earlier: str,
    ) -> bool:
        """Reads a short message after a topic as a follow-up if the mix is sure enough."""
        if (
            self._model is None
            or len(_WORD.findall(text.lower())) > self._config["follow_up_max_words"]
        ):
            return False
        if reading == RETRIEVAL_INTENT:
            bar = self._config["follow_up_min_confidence"]
        elif reading in _NOT_UNDERSTOOD and refers_back(text, self._config["follow_up_max_words"]):
            bar = self._config["referring_min_confidence"]
        else:
            return False
        boosted = {key: confidence * self._weight(key, earlier) for key, confidence in ranking}
        total = sum(boosted.values()) or 1.0
        learnt = self._model.probabilities(text, earlier)
        share = self._config["follow_up_model_weight"]
        mixed = {
            key: share * learnt.get(key, 0.0) + (1 - share) * boosted.get(key, 0.0) / total
            for key in set(learnt) | set(boosted)
        }
        key = max(mixed, key=mixed.__getitem__)
        if mixed[key] < bar:
            return False
        select_topic(message, key, min(mixed[key], 1.0), keep_ranking=True)
        message.set("topic_context", {"follow_up_of": earlier, "topic": key}, add_to_output=True)
        return True

    def _title_of(self, key: str, language: str) -> str:
        """The topic's menu title in the conversation's language, else in English."""
        for titles in (self._title.get(language, {}), self._title.get(DEFAULT_LANGUAGE, {})):
            if key in titles:
                return titles[key]
        return key.split("/", 1)[1].replace("_", " ").capitalize()

    def _weight(self, key: str, earlier: str) -> float:
        weight = 1.0
        if key == earlier:
            weight += self._config["same_topic_boost"]
        elif self._area.get(key) and self._area.get(key) == self._area.get(earlier):
            weight += self._config["same_area_boost"]
        return weight

    def _close_call(
        self, message: Message, ranking: List[tuple[str, float]], language: str
    ) -> None:
        if len(ranking) < 2:
            return
        (first, top), (second, runner_up) = ranking[0], ranking[1]
        if (
            top >= self._config["choice_ceiling"]
            or top - runner_up >= self._config["choice_margin"]
        ):
            return
        overrule_intent(message, CHOOSE_TOPIC_INTENT, top)
        entities = list(message.get(ENTITIES) or [])
        for entity, key in zip(CHOICE_ENTITIES, (first, second), strict=True):
            topic_id = key.split("/", 1)[1]
            entities.append({"entity": entity, "value": topic_id, "extractor": type(self).__name__})
            entities.append(
                {
                    "entity": f"{entity}_title",
                    "value": self._title_of(key, language),
                    "extractor": type(self).__name__,
                }
            )
        message.set(ENTITIES, entities, add_to_output=True)
        message.set("topic_context", {"close_call": [first, second]}, add_to_output=True)


def menu_titles(responses: Dict[str, List[Dict[str, Any]]]) -> Dict[str, Dict[str, str]]:
    """Each topic's title in each language, as the menus' `/faq/<id>` buttons show it."""
    titles: Dict[str, Dict[str, str]] = {}
    for name, variants in responses.items():
        if not name.startswith("utter_menu"):
            continue
        for variant in variants:
            languages = [
                c["value"] for c in variant.get("condition") or [] if c.get("name") == LANGUAGE_SLOT
            ] or [DEFAULT_LANGUAGE]
            for button in variant.get("buttons") or []:
                key = str(button.get("payload", "")).removeprefix("/")
                if key.startswith(f"{RETRIEVAL_INTENT}/"):
                    titles.setdefault(languages[0], {}).setdefault(key, button["title"])
    return titles


def _ranking(message: Message) -> List[tuple[str, float]]:
    """The ResponseSelector's topics, best first: (faq/<id>, confidence)."""
    selected = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    return [
        (entry[INTENT_RESPONSE_KEY], entry[PREDICTED_CONFIDENCE_KEY])
        for entry in selected.get("ranking") or []
        if entry.get(INTENT_RESPONSE_KEY)
    ]
