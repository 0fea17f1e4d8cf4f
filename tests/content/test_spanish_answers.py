"""Curated answers in Spanish: a Spanish reader gets them on the web and by SMS.

Each curated answer (data/content/, utter_faq/<id>) has, beside each English
variant, a Spanish one: the condition `language` es (the slot the safety check
sets), the same channel, and the same other conditions (a center fact while it
is empty: tests/content/test_center_facts.py). Rasa picks among the variants
whose conditions all match the slots (rasa/core/nlg/generator.py,
ResponseVariationFilter.responses_for_utter_action): first the conditional
ones for the output channel, then the unconditioned ones for it, then the
conditional ones for no channel, then the unconditioned ones; and at random
among those it keeps. So for a Spanish reader exactly the Spanish variant for
the channel must match, and an English reader, or one writing in a language
the answers are not written in, must never get a Spanish one.

These tests render the answers as a visitor gets them: through Rasa's own
TemplatedNaturalLanguageGenerator, from the domain Rasa builds out of
domain.yml and data/content/, with the language slot set to es and to en (and
the other languages of the slot), on the web (the widget, "webchat", and REST,
"collector", which have no variants of their own) and by SMS ("twilio"), with
every value the answer's other conditions take and a value beside them.
"""

import itertools

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from center import facts
from tests.content.replies import counterparts, language_of, other_conditions, payloads
from tools.content import ROOT

DOMAIN = TrainingDataImporter.load_from_dict(
    domain_path=str(ROOT / "domain.yml"), training_data_paths=[str(ROOT / "data" / "content")]
).get_domain()
RESPONSES = DOMAIN.responses
CURATED = sorted(name for name in RESPONSES if name.startswith("utter_faq/"))
# The slot values at the start of a conversation, as Rasa reads them.
START = DialogueStateTracker.from_events("visitor", [], slots=DOMAIN.slots).current_slot_values()
LANGUAGE = "language"
# The values the language slot takes (domain.yml); the answers are written in
# English and Spanish, and the others read English.
LANGUAGES = next(slot for slot in DOMAIN.slots if slot.name == LANGUAGE).values
CHANNELS = ("webchat", "collector", "twilio")
# What a slot another condition reads holds when it is not that condition's value.
OTHER_VALUE = "a sample value"


def states(name: str):
    """Each combination of the values the answer's other conditions read,
    and a value none of them names."""
    values: dict[str, list] = {}
    for variant in RESPONSES[name]:
        for slot, value in other_conditions(variant):
            values.setdefault(slot, [OTHER_VALUE])
            if value not in values[slot]:
                values[slot].append(value)
    for combination in itertools.product(*values.values()):
        yield dict(zip(values, combination, strict=True))


def slots_for(lang: str, others: dict) -> dict:
    return {**START, LANGUAGE: lang, **others}


def picked(name: str, channel: str, slots: dict) -> list[dict]:
    return ResponseVariationFilter(RESPONSES).responses_for_utter_action(name, channel, slots)


def rendered(name: str, channel: str, slots: dict) -> dict:
    """The message Rasa's generator sends for the answer in this state."""
    message = TemplatedNaturalLanguageGenerator(RESPONSES).generate_from_slots(name, slots, channel)
    assert message, f"{name} sends nothing on {channel}"
    return message


def filled(variant: dict, slots: dict, channel: str) -> str:
    """The variant's text as Rasa's generator fills it in."""
    name = "utter_one_variant"
    message = TemplatedNaturalLanguageGenerator({name: [variant]}).generate_from_slots(
        name, slots, channel
    )
    return message["text"]


def test_the_curated_answers_are_read():
    assert len(CURATED) >= 40
    assert {"en", "es"} <= set(LANGUAGES)
    assert START[LANGUAGE] == "en"
    assert "utter_faq/overdose_signs_and_naloxone" in CURATED


# --- a Spanish variant beside each English one --------------------------------------


@pytest.mark.parametrize("name", CURATED)
def test_each_english_variant_has_a_spanish_one_for_its_channel(name: str):
    variants = RESPONSES[name]
    english = [v for v in variants if language_of(name, v) == "en"]
    spanish = [v for v in variants if language_of(name, v) == "es"]
    assert english and spanish, f"{name} has no Spanish variant"
    # Variants for other languages only repeat an English text (the center's
    # fact-empty ones, so that those readers never meet the Spanish variants).
    english_texts = {v["text"] for v in english}
    copies = [v for v in variants if language_of(name, v) not in ("en", "es")]
    assert all(v["text"] in english_texts for v in copies), name
    assert len(spanish) == len(english), name
    for variant in english:
        matches = counterparts(variant, spanish)
        channel = variant.get("channel") or "the web"
        assert len(matches) == 1, f"{name}: no one Spanish variant for {channel}"
        [match] = matches
        # Buttons: Spanish titles, the same payloads in the same order.
        assert payloads(match) == payloads(variant), name
        assert match["text"] != variant["text"], name
        # The same sign-off state: a Spanish answer is reviewed as its English one is.
        assert match["metadata"]["signoff"] == variant["metadata"]["signoff"], name


# --- what Rasa sends, in each language, on each channel ------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("name", CURATED)
def test_a_spanish_reader_gets_the_spanish_answer_for_the_channel(name: str, channel: str):
    sms_variants = any(v.get("channel") == "twilio" for v in RESPONSES[name])
    for others in states(name):
        slots = slots_for("es", others)
        candidates = picked(name, channel, slots)
        assert candidates, (name, channel, others)
        # Only the Spanish variant: nothing at random between Spanish and English.
        assert {language_of(name, v) for v in candidates} == {"es"}, (name, channel, others)
        assert len({v["text"] for v in candidates}) == 1, (name, channel, others)
        expected_channel = "twilio" if channel == "twilio" and sms_variants else None
        assert {v.get("channel") for v in candidates} == {expected_channel}, (name, channel)
        message = rendered(name, channel, slots)
        assert message["text"] == filled(candidates[0], slots, channel)
        assert facts.helpline() in message["text"] or "{helpline}" not in candidates[0]["text"]
        assert "{" not in message["text"], message["text"]


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "es"])
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("name", CURATED)
def test_any_other_reader_gets_the_english_answer(name: str, channel: str, lang: str):
    """English readers keep the English answer; so do readers of a language the
    answers are not written in (Portuguese, Haitian Creole, Vietnamese)."""
    for others in states(name):
        slots = slots_for(lang, others)
        candidates = picked(name, channel, slots)
        assert candidates, (name, channel, others)
        # English text: the English variants, or their copies for readers of a
        # language with no answers of its own (the center's fact-empty ones).
        english = {v.get("text") for v in RESPONSES[name] if language_of(name, v) == "en"}
        assert {v.get("text") for v in candidates} <= english, (name, channel, lang, others)
        message = rendered(name, channel, slots)
        assert message["text"] in {filled(v, slots, channel) for v in candidates}


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_overdose_answer_in_spanish_names_911_and_naloxone(channel: str):
    message = rendered("utter_faq/overdose_signs_and_naloxone", channel, slots_for("es", {}))
    assert "911" in message["text"] and "naloxona" in message["text"], message["text"]
    english = rendered("utter_faq/overdose_signs_and_naloxone", channel, slots_for("en", {}))
    assert "naloxone" in english["text"] and "naloxona" not in english["text"]


def test_the_spanish_web_answer_keeps_its_buttons_with_spanish_titles():
    message = rendered("utter_faq/detox_what_is", "webchat", slots_for("es", {}))
    english = rendered("utter_faq/detox_what_is", "webchat", slots_for("en", {}))
    assert [b["payload"] for b in message["buttons"]] == [b["payload"] for b in english["buttons"]]
    assert [b["title"] for b in message["buttons"]] != [b["title"] for b in english["buttons"]]
    # By SMS the answer has no buttons, in Spanish as in English.
    assert not rendered("utter_faq/detox_what_is", "twilio", slots_for("es", {})).get("buttons")
