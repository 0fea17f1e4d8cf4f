"""Reads a topic question in the light of the conversation: follow-ups and close calls.

Two things the ResponseSelector cannot do on its own, since it reads each
message alone:

- **Follow-ups.** "how long do people stay on it?" after the methadone answer
  is about methadone. When the previous question got a curated answer and the
  new message is short and refers back ("it", "that", "what about ..."), the
  topics are re-ranked: the previous topic and the topics of its area (the
  file in data/content/ it lives in) weigh more. The answer is still a
  curated one, `utter_faq/<id>`, of whichever topic then ranks first.
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

from nlu_components.overrule import overrule_intent, select_topic
from nlu_components.stored_state import JsonStateComponent
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
_OPEN_READINGS = frozenset({RETRIEVAL_INTENT, "nlu_fallback", "out_of_scope"})


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
class TopicContext(JsonStateComponent):
    STATE_FILE = "topic_context.json"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Where the topics live: each file of data/content/ is an area.
            "content": "data/content",
            "follow_up_max_words": 12,
            # Follow-ups: how much more the previous topic and its area weigh.
            "same_topic_boost": 2.0,
            "same_area_boost": 1.0,
            # A follow-up is answered only if its topic then has this confidence.
            "follow_up_min_confidence": 0.1,
            # Close calls: the best topic is below `choice_ceiling` and the
            # second is within `choice_margin` of it.
            "choice_ceiling": 0.5,
            "choice_margin": 0.2,
        }

    def use_state(self, config: Dict[str, Any], state: Dict[str, Any] | None) -> None:
        self._config = config
        state = state or {}
        self._area: Dict[str, str] = state.get("area", {})
        # language -> faq/<id> -> the title its menu button shows.
        self._title: Dict[str, Dict[str, str]] = state.get("title", {})

    def train(self, training_data: TrainingData) -> Resource:
        area: Dict[str, str] = {}
        for path in sorted(Path(self._config["content"]).glob("*.yml")):
            for block in yaml.safe_load(path.read_text()).get("nlu") or []:
                if str(block.get("intent", "")).startswith(f"{RETRIEVAL_INTENT}/"):
                    area[block["intent"]] = path.stem
        return self.save_state({"area": area, "title": menu_titles(training_data.responses)})

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
            if (
                earlier
                and reading in _OPEN_READINGS
                and refers_back(text, self._config["follow_up_max_words"])
            ):
                self._follow_up(message, ranking, earlier)
            elif reading == RETRIEVAL_INTENT:
                self._close_call(message, ranking, language)
        return messages

    def _follow_up(self, message: Message, ranking: List[tuple[str, float]], earlier: str) -> None:
        boosted = sorted(
            ((key, confidence * self._weight(key, earlier)) for key, confidence in ranking),
            key=lambda item: -item[1],
        )
        key, confidence = boosted[0]
        if confidence < self._config["follow_up_min_confidence"]:
            return
        select_topic(message, key, min(confidence, 1.0), keep_ranking=True)
        message.set("topic_context", {"follow_up_of": earlier, "topic": key}, add_to_output=True)

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
