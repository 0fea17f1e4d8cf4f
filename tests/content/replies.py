"""Every reply a person can read, for the clinical lint: curated answers and domain.yml.

A response may have several variants. A variant with a `condition` on the slot
`language` is in that language (en, es, pt, ht or vi: safety.categories.LANGUAGES;
a value outside them is kept as written, so the lint fails on it rather than
reading it as English); otherwise a response whose name ends in `_es` is
Spanish, and everything else English. `channel: twilio` variants are what
SMS sends; a response without one sends its default variant by SMS too.

CONTENT_LINT_DOMAIN names another domain file to lint instead of domain.yml
(for checking replacement texts before they are merged).
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from center import facts
from safety.categories import LANGUAGE_SLOT
from tools.content import ROOT, fill, load_topics

DOMAIN = Path(os.environ.get("CONTENT_LINT_DOMAIN") or ROOT / "domain.yml")


@dataclass(frozen=True)
class Reply:
    name: str  # the response name, utter_faq/<id> for curated answers
    language: str  # "en", "es", "pt", "ht" or "vi"
    channel: str | None  # "twilio" for SMS variants
    text: str
    custom: dict = field(default_factory=dict, hash=False, compare=False)
    buttons: tuple[str, ...] = ()

    @property
    def reason(self) -> str | None:
        """The handoff reason of an urgent reply, None for any other."""
        return self.custom.get("reason") if self.custom.get("handoff") is True else None

    @property
    def id(self) -> str:
        return f"{self.name}[{self.language}{'/' + self.channel if self.channel else ''}]"


# {<fact>} for each of the center's facts (center/facts.py FACTS).
FACT_PLACEHOLDER = re.compile(r"\{(" + "|".join(facts.FACTS) + r")\}")


# Slots a reply is sent with, filled from the message (the close-call question's
# topics): read with a typical value.
PER_MESSAGE = {
    "topic_choice_1": "mat_duration",
    "topic_choice_1_title": "How long people take it",
    "topic_choice_2": "treatment_duration",
    "topic_choice_2_title": "How long treatment lasts",
}
PER_MESSAGE_PLACEHOLDER = re.compile(r"\{(" + "|".join(PER_MESSAGE) + r")\}")


def as_read(text: str) -> str:
    """The text as a person reads it: the helpline, the center's name and every
    fact the center has given filled in. A fact not given yet stays {<fact>}:
    only a variant Rasa picks once the fact is given may name it
    (tests/content/test_center_facts.py), so its length and reading level are
    measured with the fact's name in its place until then."""
    given = facts.facts()
    text = PER_MESSAGE_PLACEHOLDER.sub(lambda m: PER_MESSAGE[m.group(1)], text)
    return FACT_PLACEHOLDER.sub(lambda m: given[m.group(1)] or m.group(0), fill(text))


def other_conditions(variant: dict, *, empty_counts: bool = True) -> set[tuple[str, object]]:
    """A variant's conditions besides its language. With `empty_counts` False, a
    slot required to be empty (null) is no condition, as for a default variant."""
    return {
        (condition["name"], condition["value"])
        for condition in variant.get("condition") or []
        if condition["name"] != LANGUAGE_SLOT and (empty_counts or condition["value"] is not None)
    }


def payloads(variant: dict) -> list[str]:
    return [button["payload"] for button in variant.get("buttons") or []]


def counterparts(variant: dict, others: list[dict], *, empty_counts: bool = True) -> list[dict]:
    """The variants in `others` (another language's) for the same channel and
    the same other conditions as `variant`."""
    wanted = other_conditions(variant, empty_counts=empty_counts)
    return [
        other
        for other in others
        if other.get("channel") == variant.get("channel")
        and other_conditions(other, empty_counts=empty_counts) == wanted
    ]


def language_of(name: str, variant: dict) -> str:
    for condition in variant.get("condition") or []:
        if condition.get("name") == LANGUAGE_SLOT:
            value = str(condition.get("value", "")).lower()
            # "pt_BR" or "es-US" is its language; "spanish" is Spanish.
            root = value.replace("-", "_").split("_")[0]
            return "es" if root.startswith("span") else root
    return "es" if name.endswith("_es") else "en"


def replies_of(name: str, variants: list[dict]) -> list[Reply]:
    return [
        Reply(
            name=name,
            language=language_of(name, variant),
            channel=variant.get("channel"),
            text=str(variant.get("text") or ""),
            custom=variant.get("custom") or {},
            buttons=tuple(str(b.get("title", "")) for b in variant.get("buttons") or []),
        )
        for variant in variants
    ]


def domain_responses() -> dict[str, list[dict]]:
    return yaml.safe_load(DOMAIN.read_text())["responses"]


def domain_replies() -> list[Reply]:
    return [r for name, vs in domain_responses().items() for r in replies_of(name, vs)]


def content_replies() -> list[Reply]:
    return [
        r
        for topic in load_topics().values()
        for r in replies_of(f"utter_faq/{topic.id}", topic.variants)
    ]


def all_replies() -> list[Reply]:
    return content_replies() + domain_replies()
