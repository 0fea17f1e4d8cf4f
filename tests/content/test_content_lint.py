"""Content lint: the shape every curated answer needs (the clinical rules are in
test_clinical_lint.py).

The project's topic list is data/content/ itself: each topic is an intent
`faq/<id>` with its examples and a response `utter_faq/<id>` beside them.

An answer is a web variant and an SMS (`channel: twilio`) variant, in English
(no condition) and in Spanish (`condition: [{type: slot, name: language,
value: es}]`). An answer that says one of the center's facts (center/facts.py
FACTS) also has, on each channel, variants for while that fact is empty
(a condition `{type: slot, name: <fact>, value: ""}` beside the language's);
every variant is held to the same rules (tests/content/test_center_facts.py
and test_spanish_answers.py render them through Rasa).
"""

import re
from pathlib import Path

import pytest
import yaml

from center.facts import FACTS
from safety.categories import DEFAULT_LANGUAGE, LANGUAGE_SLOT, LANGUAGES
from tests.content.replies import FACT_PLACEHOLDER, as_read
from tools.content import ROOT, Topic, examples_of, load_topics, topic_ids

TOPICS = load_topics()
IDS = topic_ids()
MIN_EXAMPLES = 15
WEB_MAX_WORDS = 90
SMS_MAX_CHARS = 320


def test_every_topic_has_examples_and_answers():
    assert IDS, "data/content/ answers no topic"
    assert len(IDS) == len(set(IDS))
    assert sorted(IDS) == sorted(TOPICS), "a faq intent without an utter_faq answer"


def test_every_topic_button_and_menu_leads_to_a_topic():
    """/faq/<id> payloads in domain.yml and data/content/ name existing topics."""
    payloads = re.findall(r"/faq/(\w+)", (ROOT / "domain.yml").read_text())
    for topic in TOPICS.values():
        payloads += [b["payload"].removeprefix("/faq/") for b in topic.web.get("buttons", [])]
    unknown = {p for p in payloads if not p.startswith("/")} - set(IDS)
    assert not unknown


def channel_variants(topic: Topic, channel: str | None) -> list[dict]:
    return [v for v in topic.variants if v.get("channel") == channel]


def empty_facts(variant: dict) -> set[str]:
    """The facts a conditional variant is for while they are empty."""
    return {c["name"] for c in variant.get("condition") or [] if c["name"] in FACTS}


def language_of(variant: dict) -> str:
    """The language a variant is for: its `language` condition, else English."""
    found = [c["value"] for c in variant.get("condition") or [] if c["name"] == LANGUAGE_SLOT]
    return found[0] if found else DEFAULT_LANGUAGE


@pytest.mark.parametrize("topic_id", IDS)
def test_topic_has_examples_web_and_sms_answers(topic_id: str):
    topic: Topic = TOPICS[topic_id]
    assert len(topic.examples) >= MIN_EXAMPLES
    web, sms = channel_variants(topic, None), channel_variants(topic, "twilio")
    # The web variants, then the SMS ones; on each, the English default (no
    # condition) comes first of the variants Rasa falls back on.
    assert [v.get("channel") for v in topic.variants] == [None] * len(web) + ["twilio"] * len(sms)
    for variants in (web, sms):
        defaults = [v for v in variants if "condition" not in v]
        assert len(defaults) == 1, "one variant per channel without a condition: the English one"
        for variant in variants:
            for condition in variant.get("condition") or []:
                if condition["name"] == LANGUAGE_SLOT:
                    assert condition["value"] in LANGUAGES, condition
                else:
                    assert condition == {"type": "slot", "name": condition["name"], "value": ""}
                    assert condition["name"] in FACTS, condition["name"]
        # Every curated answer is in Spanish too, on the web and by SMS.
        assert any(language_of(v) == "es" for v in variants), "no Spanish variant"
    # The same languages and facts are handled on the web and by SMS.
    assert sorted((language_of(v), sorted(empty_facts(v))) for v in web) == sorted(
        (language_of(v), sorted(empty_facts(v))) for v in sms
    )


@pytest.mark.parametrize("topic_id", IDS)
def test_lengths_fit_a_phone_screen_and_two_texts(topic_id: str):
    topic = TOPICS[topic_id]
    for variant in channel_variants(topic, None):
        assert len(as_read(variant["text"]).split()) <= WEB_MAX_WORDS
    for variant in channel_variants(topic, "twilio"):
        assert len(as_read(variant["text"])) <= SMS_MAX_CHARS


@pytest.mark.parametrize("topic_id", IDS)
def test_sms_answers_are_plain_text(topic_id: str):
    for sms in channel_variants(TOPICS[topic_id], "twilio"):
        assert set(sms) - {"condition"} == {"channel", "text", "metadata"}
        # {<fact>} is not markup: Rasa fills it in (its own text is checked
        # when it is given, by as_read).
        text = FACT_PLACEHOLDER.sub("", as_read(sms["text"]))
        assert not re.search(r"[*_`#\[\]]|https?://", text)


@pytest.mark.parametrize("topic_id", IDS)
def test_web_buttons_lead_to_topics_or_the_helpline(topic_id: str):
    for web in channel_variants(TOPICS[topic_id], None):
        buttons = web.get("buttons", [])
        assert 1 <= len(buttons) <= 3
        for button in buttons:
            payload = button["payload"]
            assert payload == "/request_human" or payload.removeprefix("/faq/") in IDS


def test_no_example_appears_under_two_intents():
    seen: dict[str, str] = {}
    for path in sorted((ROOT / "data").rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for example in block["examples"].splitlines():
                text = example.removeprefix("- ").strip().lower()
                if not text:
                    continue
                assert seen.setdefault(text, block["intent"]) == block["intent"], text


def test_the_helpline_is_written_only_in_its_one_definition():
    from center.facts import helpline

    digits = re.sub(r"\D", "", helpline())
    # Any spelling of the number: dashes, spaces, brackets or none.
    spelled = re.compile(r"\D?".join(digits))
    tracked = [
        p
        for p in ROOT.rglob("*")
        if p.is_file()
        and p.suffix in {".yml", ".yaml", ".py", ".js", ".html", ".css", ".md", ".json", ".txt"}
        and not {"node_modules", ".venv", "models", "var", "test-output", "reports", ".git"}
        & set(p.relative_to(ROOT).parts)
    ]
    writers = [p.relative_to(ROOT) for p in tracked if spelled.search(p.read_text(errors="ignore"))]
    assert writers == [Path("domain.yml")]
    domain_lines = (ROOT / "domain.yml").read_text().splitlines()
    assert [line.strip() for line in domain_lines if spelled.search(line)] == [
        f'initial_value: "{helpline()}"'
    ]


def test_no_response_writes_a_phone_number():
    phone = re.compile(r"\(?\b\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\b")
    for path in [ROOT / "domain.yml", *sorted((ROOT / "data").rglob("*.yml"))]:
        responses = (yaml.safe_load(path.read_text()) or {}).get("responses") or {}
        for name, variants in responses.items():
            for variant in variants:
                assert not phone.search(variant.get("text", "")), name


def test_held_out_sets_are_never_trained_on():
    def texts(paths) -> set[str]:
        found = set()
        for path in paths:
            for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
                found |= {e.lower() for e in examples_of(block.get("examples", ""))}
        return found

    held_out = texts([ROOT / "tests" / "nlu_holdout.yml", *(ROOT / "tests" / "data").glob("*.yml")])
    assert len(held_out) >= 4 * len(IDS)
    assert held_out.isdisjoint(texts((ROOT / "data").rglob("*.yml")))
