"""The center's own facts: written once, beside the helpline, and said only when known.

The facts only the center can give (center/facts.py FACTS: its hours, when the
helpline is answered, its address, the first day, what to bring, phones,
visits) are text slots in domain.yml with `initial_value: ""` until the center
fills them in. Python code reads them through center/facts.py and says nothing
of an empty one (the call-back confirmation: tests/actions/
test_callback_actions.py). A curated answer that needs one has, on each
channel, a variant with `condition: [{type: slot, name: <fact>, value: ""}]`,
which sends people to the helpline for that detail, and a default variant that
says it with {<fact>}.

These tests render the answers as a visitor gets them: through Rasa's own
TemplatedNaturalLanguageGenerator, from the domain Rasa builds out of
domain.yml and data/content/, on the web channel and by SMS. With every fact
empty (as now), with every fact filled in, and, for an answer that reads two
facts, with any mix of the two.
"""

import itertools
import re

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from center import facts
from tools.content import ROOT

DOMAIN = TrainingDataImporter.load_from_dict(
    domain_path=str(ROOT / "domain.yml"), training_data_paths=[str(ROOT / "data" / "content")]
).get_domain()
RESPONSES = DOMAIN.responses
SLOTS = {slot.name: slot for slot in DOMAIN.slots}
# The slot values at the start of a conversation, as Rasa reads them.
START = DialogueStateTracker.from_events("visitor", [], slots=DOMAIN.slots).current_slot_values()
# What an action passes to the response it sends (actions/show_sources.py).
FILLED_BY_ACTIONS = {"sources": "- A source", "last_reviewed": "2026-12-01"}
# The web widget and REST have no variants of their own; SMS has.
CHANNELS = ("webchat", "twilio")
# Stand-ins for the facts once the center gives them, in the form domain.yml
# asks for beside each slot: phrases for hours and the address, whole
# sentences for the rest.
GIVEN = {
    "helpline_hours": "at sample helpline hours",
    "center_hours": "at sample center hours",
    "center_address": "1 Sample Street, Sample Town",
    "first_day_schedule": "A sample first day.",
    "what_to_bring": "A sample list of what to bring.",
    "phone_policy": "A sample phone policy.",
    "visiting_rules": "Sample visiting rules.",
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(variant: dict) -> set[str]:
    return set(PLACEHOLDER.findall(str(variant.get("text") or "")))


def conditioned_on(variant: dict) -> set[str]:
    return {condition["name"] for condition in variant.get("condition") or []}


def facts_read_by(name: str) -> list[str]:
    """The facts a response says or has a variant for, in FACTS order."""
    read = set()
    for variant in RESPONSES[name]:
        read |= (placeholders(variant) | conditioned_on(variant)) & set(facts.FACTS)
    return [fact for fact in facts.FACTS if fact in read]


FACT_RESPONSES = sorted(name for name in RESPONSES if facts_read_by(name))
CURATED = sorted(name for name in RESPONSES if name.startswith("utter_faq/"))


def with_facts(given: dict[str, str]) -> dict:
    """The slots at the start of a conversation, every fact empty but those given."""
    return {**START, **{fact: "" for fact in facts.FACTS}, **given}


def rendered(name: str, channel: str, slots: dict) -> list[dict]:
    """Every message a visitor can get from the response in this state: each
    variant Rasa may pick, filled in by Rasa's generator."""
    suitable = ResponseVariationFilter(RESPONSES).responses_for_utter_action(name, channel, slots)
    assert suitable, f"{name} has nothing to send on {channel}"
    return [
        TemplatedNaturalLanguageGenerator({name: [variant]}).generate_from_slots(
            name, slots, channel, **FILLED_BY_ACTIONS
        )
        for variant in suitable
    ]


def leftovers(message: dict) -> list[str]:
    """What an empty or missing value leaves in a message: braces, a gap before
    punctuation ("we are open ."), a doubled space, "None"."""
    texts = [message.get("text") or ""] + [b["title"] for b in message.get("buttons") or []]
    pattern = re.compile(r"[{}]|\s[.,;:!?]|\s\s|\bNone\b|^\s|\s$")
    return [match.group(0) for text in texts for match in pattern.finditer(text)]


def offers_the_helpline(message: dict) -> bool:
    return facts.helpline() in (message.get("text") or "")


# --- The facts: slots beside the helpline, read through center/facts.py ---


def test_the_facts_are_text_slots_beside_the_helpline():
    for fact in facts.FACTS:
        slot = SLOTS[fact]
        assert slot.type_name == "text" and slot.influence_conversation is False, fact
        assert [mapping["type"] for mapping in slot.mappings] == ["custom"], fact
        value = slot.initial_value
        # Rasa compares the value with the condition's "" as it is: a value of
        # spaces would be neither empty nor a fact.
        assert isinstance(value, str) and value == value.strip(), fact


def test_a_given_fact_has_the_form_its_answers_read_it_in():
    """Phrases (hours, the address) go inside a sentence: no full stop of their
    own. The rest stand as whole sentences: they end like one."""
    phrases = {"helpline_hours", "center_hours", "center_address"}
    for fact, value in facts.facts().items():
        if value and fact in phrases:
            assert not value.endswith((".", "!", "?")), fact
        elif value:
            assert value.endswith((".", "!", "?")), fact
    assert all(GIVEN[fact].endswith(".") != (fact in phrases) for fact in facts.FACTS), (
        "the stand-ins have the same forms"
    )


def test_rasa_reads_an_empty_fact_as_the_empty_string_the_conditions_name():
    for fact, value in facts.facts().items():
        assert START[fact] == value, fact


def test_the_facts_read_empty_until_filled_in(monkeypatch):
    values = {"helpline": "x", "center_name": "y", **{fact: "" for fact in facts.FACTS}}
    values["center_hours"] = " "
    monkeypatch.setattr(facts, "_slots", lambda: values)
    assert facts.facts() == {fact: "" for fact in facts.FACTS}
    readers = {fact: getattr(facts, fact) for fact in facts.FACTS}
    assert all(read() == "" for read in readers.values())
    values.update(GIVEN)
    assert facts.facts() == GIVEN
    assert {fact: read() for fact, read in readers.items()} == GIVEN


def test_the_facts_the_answers_read_are_the_centers_facts():
    assert {fact for name in FACT_RESPONSES for fact in facts_read_by(name)} == set(facts.FACTS)


# --- Said only in a variant Rasa picks once the fact is given ---


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_a_fact_is_said_only_where_a_variant_covers_it_while_empty(name: str):
    variants = RESPONSES[name]
    for variant in variants:
        channel = variant.get("channel")
        for fact in placeholders(variant) & set(facts.FACTS):
            assert fact not in conditioned_on(variant), (name, fact)
            # A variant for it empty on the same channel (one per language: Rasa
            # picks among every variant whose conditions hold, so which readers
            # get which is checked by rendering, in test_spanish_answers.py).
            assert any(
                v.get("channel") == channel and conditioned_on(v) & set(facts.FACTS) == {fact}
                for v in variants
            ), f"{name} says {{{fact}}} on {channel or 'the web'} with no variant for it empty"


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_placeholder_has_a_value_when_the_response_is_sent(name: str):
    """A slot with a value from the start, a fact (above), what an action
    passes, or a slot the NLU fills from the message the response answers."""
    from_entities = {
        slot
        for slot, spec in SLOTS.items()
        if any(mapping["type"] == "from_entity" for mapping in spec.mappings)
    }
    for variant in RESPONSES[name]:
        for placeholder in placeholders(variant):
            if placeholder in facts.FACTS or placeholder in FILLED_BY_ACTIONS:
                continue
            assert placeholder in SLOTS, (name, placeholder)
            assert str(START[placeholder] or "").strip() or placeholder in from_entities, (
                name,
                placeholder,
            )


# --- Rendered as a visitor gets them ---


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("name", CURATED)
def test_with_every_fact_empty_each_answer_reads_cleanly(name: str, channel: str):
    for message in rendered(name, channel, with_facts({})):
        assert not leftovers(message), (leftovers(message), message["text"])


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("name", FACT_RESPONSES)
def test_with_every_fact_empty_the_answer_offers_the_helpline(name: str, channel: str):
    for message in rendered(name, channel, with_facts({})):
        assert offers_the_helpline(message), message["text"]
        assert not any(value in message["text"] for value in GIVEN.values())


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("name", FACT_RESPONSES)
def test_with_the_facts_filled_in_the_answer_says_them(name: str, channel: str):
    for message in rendered(name, channel, with_facts(GIVEN)):
        assert not leftovers(message), (leftovers(message), message["text"])
        assert offers_the_helpline(message), message["text"]
        for fact in facts_read_by(name):
            assert GIVEN[fact] in message["text"], (fact, message["text"])


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("name", [n for n in FACT_RESPONSES if len(facts_read_by(n)) > 1])
def test_any_mix_of_given_and_empty_facts_reads_cleanly(name: str, channel: str):
    read = facts_read_by(name)
    for given in itertools.product([False, True], repeat=len(read)):
        state = with_facts({fact: GIVEN[fact] for fact, g in zip(read, given, strict=True) if g})
        for message in rendered(name, channel, state):
            assert not leftovers(message), (given, message["text"])
            assert offers_the_helpline(message), (given, message["text"])


def test_the_hours_answer_says_when_the_helpline_is_answered():
    for channel in CHANNELS:
        [empty] = {m["text"] for m in rendered("utter_faq/center_hours", channel, with_facts({}))}
        assert "helpline is answered" in empty
        [given] = rendered("utter_faq/center_hours", channel, with_facts(GIVEN))
        assert f"helpline is answered {GIVEN['helpline_hours']}" in given["text"]


# --- Hours: said only where they are known ---


def test_while_empty_no_english_reply_outside_the_curated_answers_speaks_of_hours():
    if facts.helpline_hours() or facts.center_hours():
        return  # filled in: the confirmation may say them
    said = re.compile(r"\b(open|hours|24/7|around the clock|any time of day)\b", re.IGNORECASE)
    # 988's own hours are a fact about 988, not the center: the suicide reply
    # keeps them. The curated answer about hours asks people to call about them.
    about_988 = {"utter_urgent_suicide"}
    for name, variants in RESPONSES.items():
        if name in about_988 or name.startswith("utter_faq"):
            continue
        for variant in variants:
            text = str(variant.get("text") or "")
            assert not said.search(text), (name, said.search(text).group(0))
