"""domain.yml and data/rules/ agree with the registry of crisis categories."""

import re

import pytest
import yaml

from safety.categories import (
    BY_NAME,
    CATEGORIES,
    CHECK_IN_INTENT,
    CHECK_IN_RESPONSE,
    LANGUAGE_SLOT,
    LANGUAGES,
    REASON_SLOT,
    Category,
)
from tools.in_process import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
RULES = [
    rule
    for path in sorted((ROOT / "data" / "rules").glob("*.yml"))
    for rule in yaml.safe_load(path.read_text())["rules"]
]
HELPLINE = "{helpline}"


def variants_by_language(response: str) -> dict[str, dict]:
    """Each variant of a response under its language; "en" has no condition."""
    by_language: dict[str, dict] = {}
    for variant in DOMAIN["responses"][response]:
        [language] = [
            c["value"] for c in variant.get("condition", []) if c["name"] == LANGUAGE_SLOT
        ] or ["en"]
        assert language not in by_language, f"{response}: two variants for {language}"
        assert "channel" not in variant, f"{response}: one variant on every channel"
        by_language[language] = variant
    return by_language


def answered_by(intent: str) -> list[str]:
    return [
        rule["steps"][1]["action"]
        for rule in RULES
        if rule["steps"][0].get("intent") == intent and len(rule["steps"]) == 2
    ]


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda c: c.name)
def test_each_category_has_its_intent_rule_and_one_reply_per_language(category: Category):
    assert category.intent in DOMAIN["intents"]
    assert answered_by(category.intent) == [category.response]
    variants = variants_by_language(category.response)
    assert sorted(variants) == sorted(LANGUAGES)
    for language, variant in variants.items():
        assert variant["custom"] == {"handoff": True, "reason": category.reason}, language
        text = variant["text"]
        lines = [(text.find(line), line) for line in ("911", "988") if line in text]
        assert min(lines)[1] == category.emergency_line, f"{category.name}/{language}"
        assert text.find(category.emergency_line) < text.find(HELPLINE), language


def test_the_check_in_asks_and_offers_help_now_or_safe_in_every_language():
    assert CHECK_IN_INTENT in DOMAIN["intents"]
    assert answered_by(CHECK_IN_INTENT) == [CHECK_IN_RESPONSE]
    variants = variants_by_language(CHECK_IN_RESPONSE)
    assert sorted(variants) == sorted(LANGUAGES)
    for language, variant in variants.items():
        assert variant["custom"] == {"check_in": True, "reason": f"{{{REASON_SLOT}}}"}
        assert "911" in variant["text"] and "988" in variant["text"], language
        payloads = [button["payload"] for button in variant["buttons"]]
        assert payloads == [f"/{BY_NAME['person_now'].intent}", "/check_in_safe"], language


def test_the_slots_the_replies_read_are_filled_by_the_safety_check():
    slots = DOMAIN["slots"]
    assert slots[LANGUAGE_SLOT]["values"] == list(LANGUAGES)
    for slot in (LANGUAGE_SLOT, REASON_SLOT):
        assert slots[slot]["mappings"] == [{"type": "from_entity", "entity": slot}]
        assert slot in DOMAIN["entities"]


def test_no_urgent_intent_outside_the_registry():
    urgent = {i for i in DOMAIN["intents"] if isinstance(i, str) and re.match(r"urgent_", i)}
    assert urgent == {category.intent for category in CATEGORIES}
