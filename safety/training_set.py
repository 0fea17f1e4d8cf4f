"""What the risk model learns from: data/safety/ and the assistant's own examples.

data/safety/*.yml hold messages written by separate writers who never saw the
patterns or any evaluation set, each labelled with a category of
safety/categories.py or `not_urgent`, and with its language:

    groups:
      - label: suicide
        language: en
        texts:
          - "i wrote letters to my kids last night. they'll be better off"

The assistant's NLU examples join them: an urgent intent's examples under its
category, every other example (curated topics, small talk, declines) as
`not_urgent`, since none of those is an emergency.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from safety.categories import BY_NAME, DEFAULT_LANGUAGE, LANGUAGES

NOT_URGENT = "not_urgent"
LABELS: tuple[str, ...] = (NOT_URGENT, *BY_NAME)
_CATEGORY_OF_INTENT = {category.intent: category.name for category in BY_NAME.values()}


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    language: str


def read_groups(path: Path) -> Iterator[Example]:
    """The examples of one file in the groups format above, checked."""
    for group in yaml.safe_load(path.read_text())["groups"]:
        label, language = group["label"], group["language"]
        if label not in LABELS or language not in LANGUAGES:
            raise ValueError(f"{path}: unknown label {label!r} or language {language!r}")
        for text in group["texts"]:
            yield Example(str(text), label, language)


def safety_examples(folder: Path) -> list[Example]:
    return [example for path in sorted(folder.glob("*.yml")) for example in read_groups(path)]


def label_of_intent(intent: str) -> str:
    return _CATEGORY_OF_INTENT.get(intent, NOT_URGENT)


def nlu_examples(intents_and_texts: Iterable[tuple[str, str]]) -> list[Example]:
    """The assistant's own (English) NLU examples, labelled by their intent."""
    return [
        Example(text, label_of_intent(intent), DEFAULT_LANGUAGE)
        for intent, text in intents_and_texts
    ]
