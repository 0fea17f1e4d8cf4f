"""Every reply that is not a curated answer comes in Spanish too.

Each response of domain.yml (utter_faq/<id> live in data/content/) has, beside
its English variants, a Spanish one with the condition `language` es (the slot
the safety check sets) for each channel the English has: the default (web,
REST) and `channel: twilio` (SMS). Rasa picks among the variants whose
conditions match by channel first (rasa/core/nlg/generator.py), and at random
among equals, so these tests ask Rasa's own filter which variants a person can
get, in every language, on every channel, and with every value the other
conditions (the call-back form's hints) take.

Then the Spanish replies in a real conversation over REST, with the trained
model and the servers: a Spanish message sets the language, and the greeting,
the out-of-scope reply and the thanks follow in Spanish.
"""

import itertools
import re
import uuid

import pytest
import textstat
import yaml
from rasa.core.nlg.generator import ResponseVariationFilter

from actions.submit_callback import confirmation
from center.facts import helpline
from channels.sms import rendering
from safety.categories import LANGUAGE_SLOT, LANGUAGES
from tests.conftest import say
from tests.content.replies import counterparts, language_of, other_conditions, payloads
from tests.replies import LINES, texts
from tools.content import ROOT, fill
from tools.in_process import Assistant
from tools.local_servers import Servers

RESPONSES: dict[str, list[dict]] = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
NAMES = sorted(name for name in RESPONSES if not name.startswith("utter_faq/"))
# Output channel names: REST replies through "collector", the widget through
# "webchat" (no variants of their own), SMS through "twilio".
CHANNELS = ("collector", "webchat", "twilio")


def test_the_responses_are_read():
    assert {"utter_greet", "utter_menu", "utter_fallback", "utter_thank"} <= set(NAMES)
    assert len(NAMES) >= 30


@pytest.mark.parametrize("name", NAMES)
def test_each_english_variant_has_a_spanish_one_for_its_channel(name: str):
    variants = RESPONSES[name]
    english = [v for v in variants if language_of(name, v) == "en"]
    spanish = [v for v in variants if language_of(name, v) == "es"]
    assert english, f"{name} has no English variant"
    for variant in english:
        matches = counterparts(variant, spanish, empty_counts=False)
        channel = variant.get("channel") or "the web"
        conditions = other_conditions(variant, empty_counts=False)
        assert matches, f"{name}: no Spanish variant for {channel} {conditions}"
        for match in matches:
            # Buttons: Spanish titles, the same payloads.
            assert payloads(match) == payloads(variant), name
            assert match.get("custom") == variant.get("custom"), name
            assert match["text"] != variant["text"], name


def condition_values(name: str) -> dict[str, list]:
    """Each slot a variant of the response is conditioned on (the language
    aside), with every value it takes there and empty."""
    values: dict[str, set] = {}
    for variant in RESPONSES[name]:
        for condition in variant.get("condition") or []:
            if condition["name"] != LANGUAGE_SLOT:
                values.setdefault(condition["name"], {None}).add(condition["value"])
    return {slot: sorted(v, key=str) for slot, v in values.items()}


def states(name: str):
    """Every state the response can be sent in: a language, a channel, and
    each combination of the values of its other conditions."""
    others = condition_values(name)
    for language, channel in itertools.product(LANGUAGES, CHANNELS):
        for combination in itertools.product(*others.values()):
            yield (
                language,
                channel,
                {LANGUAGE_SLOT: language, **dict(zip(others, combination, strict=True))},
            )


@pytest.mark.parametrize("name", NAMES)
def test_rasa_picks_a_spanish_variant_in_spanish_and_never_one_elsewhere(name: str):
    chooser = ResponseVariationFilter(RESPONSES)
    for language, channel, slots in states(name):
        picked = chooser.responses_for_utter_action(name, channel, slots)
        assert picked, (name, channel, slots)
        in_spanish = {language_of(name, v) == "es" for v in picked}
        if language == "es":
            # Only the Spanish variant for this channel and state: nothing at
            # random between Spanish and English.
            assert in_spanish == {True}, (name, channel, slots)
            assert len({v["text"] for v in picked}) == 1, (name, channel, slots)
            if channel == "twilio" and any(v.get("channel") for v in RESPONSES[name]):
                assert all(v.get("channel") == "twilio" for v in picked), (name, slots)
        else:
            assert in_spanish == {False}, (name, channel, slots)


def test_a_hint_in_a_spanish_conversation_is_the_spanish_hint():
    chooser = ResponseVariationFilter(RESPONSES)
    slots = {LANGUAGE_SLOT: "es", "callback_hint": "no_numbers_taken"}
    [picked] = chooser.responses_for_utter_action(
        "utter_ask_callback_number_held", "webchat", slots
    )
    assert picked["text"].startswith("Lo siento, ahora no puedo tomar un número.")
    # Without a hint, the question itself; in Portuguese the English hint stays.
    [plain] = chooser.responses_for_utter_action(
        "utter_ask_callback_number_held", "webchat", {LANGUAGE_SLOT: "es", "callback_hint": None}
    )
    assert plain["text"] == "¿A qué número le llamamos? Incluya el código de área."
    [portuguese] = chooser.responses_for_utter_action(
        "utter_ask_callback_number_held",
        "webchat",
        {LANGUAGE_SLOT: "pt", "callback_hint": "no_numbers_taken"},
    )
    assert portuguese["text"].startswith("Sorry, I can't take a number right now.")


# --- what the Spanish replies say --------------------------------------------------


def lines_in_order(text: str) -> list[str]:
    """911, 988 and the helpline as a reply names them, a repeat in a row once."""
    lines = LINES.findall(text)
    return [line for i, line in enumerate(lines) if i == 0 or lines[i - 1] != line]


SPANISH = [
    (name, variant)
    for name in NAMES
    for variant in RESPONSES[name]
    if language_of(name, variant) == "es"
]
IDS = [f"{name}[{v.get('channel') or 'web'}]" for name, v in SPANISH]


@pytest.mark.parametrize(("name", "variant"), SPANISH, ids=IDS)
def test_spanish_replies_put_911_and_988_where_the_english_do(name: str, variant: dict):
    """The same emergency lines, in the same order, as the English variant
    of the same channel (988 may come twice: call it, or text AYUDA to it)."""
    [english, *_] = counterparts(
        variant, [v for v in RESPONSES[name] if language_of(name, v) == "en"], empty_counts=False
    )
    assert lines_in_order(fill(variant["text"])) == lines_in_order(fill(english["text"])), variant[
        "text"
    ]


SMS_SPANISH = [
    (name, variant) for name, variant in SPANISH if variant.get("channel") == "twilio"
] + [
    (name, variant)
    for name, variant in SPANISH
    if not variant.get("channel")
    and not any(language_of(name, v) == "es" and v.get("channel") for v in RESPONSES[name])
]
# What actions fill in (actions/show_sources.py, nlu_components/topic_context.py).
FILLED = {
    "{sources}": "- A source",
    "{last_reviewed}": "2026-12-01",
    "{topic_choice_1_title}": "Methadone",
    "{topic_choice_2_title}": "Buprenorphine (Suboxone)",
}
URGENT_MAX_SEGMENTS = 4


def as_sms(variant: dict) -> str:
    text = fill(variant.get("text") or "")
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    buttons = [
        {**b, "title": FILLED.get(b["title"], b["title"])} for b in variant.get("buttons") or []
    ]
    return rendering.render_message({**variant, "text": text, "buttons": buttons})


@pytest.mark.parametrize(
    ("name", "variant"),
    SMS_SPANISH,
    ids=[f"{n}[{v.get('channel') or 'web'}]" for n, v in SMS_SPANISH],
)
def test_spanish_sms_replies_stay_in_the_gsm_alphabet_and_two_segments(name, variant):
    text = as_sms(variant)
    assert rendering.is_gsm(text), text
    limit = URGENT_MAX_SEGMENTS if name.startswith("utter_urgent_") else rendering.SEGMENT_TARGET
    assert rendering.segment_count(text) <= limit, (len(text), text)


def sms_variant(name: str, language: str) -> dict:
    """The variant SMS sends in the language: its twilio variant, else its default."""
    variants = [v for v in RESPONSES[name] if language_of(name, v) == language]
    return next((v for v in variants if v.get("channel") == "twilio"), variants[0])


def test_the_spanish_greeting_and_menu_are_one_sms_no_longer_than_the_english():
    def turn(language: str) -> str:
        return rendering.join(
            [as_sms(sms_variant(name, language)) for name in ("utter_greet", "utter_menu")]
        )

    spanish = turn("es")
    limit = max(rendering.SEGMENT_TARGET, rendering.segment_count(turn("en")))
    assert rendering.segment_count(spanish) <= limit, (len(spanish), spanish)
    menu = sms_variant("utter_menu", "es")["buttons"]
    assert spanish.splitlines()[-len(menu) :] == rendering.choices(menu).splitlines()
    # Numbered, one choice a line, without the accents GSM lacks.
    assert re.search(r"^\d Desintoxicacion y abstinencia$", spanish, re.MULTILINE), spanish


# --- the call-back confirmation, written by its action -----------------------------


@pytest.mark.parametrize("window", ["now", "today", "tomorrow_morning", "tomorrow_evening"])
@pytest.mark.parametrize(("voicemail", "text_ok"), [(True, True), (True, False), (False, False)])
def test_the_call_back_confirmation_in_spanish(window, voicemail, text_ok):
    text = confirmation("Mary Jo", window, voicemail, text_ok, "es")
    assert text.startswith("Gracias, Mary Jo. Guardamos su solicitud de llamada.")
    assert helpline() in text and "911" in text
    assert not re.search(r"\b(tú|tienes|puedes|quieres)\b", text)
    textstat.set_lang("es")
    try:
        assert textstat.crawford(text) <= 8, text
    finally:
        textstat.set_lang("en_US")
    sms = rendering.plain_text(text)
    assert rendering.is_gsm(sms) and rendering.segment_count(sms) <= 2, sms
    # English stays English.
    assert confirmation("Mary Jo", window, voicemail, text_ok).startswith("Thank you, Mary Jo.")


# --- with the trained model, no servers: the language slot picks the reply -------


@pytest.mark.parametrize(
    ("payload", "opening"),
    [
        ("/greet", "Hola, soy el asistente de"),
        ("/show_menu", "Elija un tema o escriba su pregunta:"),
        ("/menu_mat", "Medicamentos (MAT): elija una pregunta."),
        ("/thank", "De nada."),
        ("/goodbye", "Cuídese."),
        ("/out_of_scope", "Solo puedo ayudar con preguntas"),
        ("/request_human", "Si es una emergencia, llame al 911 ahora."),
        ("/ask_dose_or_drugs", "No puedo ayudar con dosis"),
        ("/cancel", "Bien. ¿Hay algo más que quiera saber?"),
    ],
)
def test_the_language_slot_picks_the_spanish_reply(assistant: Assistant, payload, opening):
    sender = f"es-slot-{payload.strip('/')}"
    replies = assistant.say(sender, payload + '{"language": "es"}')
    assert texts(replies).startswith(opening), texts(replies)
    english = assistant.say(f"en-slot-{payload.strip('/')}", payload)
    assert not texts(english).startswith(opening)


def test_a_spanish_menu_keeps_the_payloads(assistant: Assistant):
    def menu(sender: str, payload: str) -> dict:
        [shown] = [r for r in assistant.say(sender, payload) if r.get("buttons")]
        return shown

    spanish = menu("es-menu-payloads", '/show_menu{"language": "es"}')
    english = menu("en-menu-payloads", "/show_menu")
    assert [b["payload"] for b in spanish["buttons"]] == [b["payload"] for b in english["buttons"]]
    assert "Desintoxicación y abstinencia" in [b["title"] for b in spanish["buttons"]]
    assert "/menu_detox" in [b["payload"] for b in spanish["buttons"]]


# --- a Spanish conversation over REST, with the real servers -----------------------


def test_a_spanish_conversation_over_rest(servers: Servers):
    sender = f"es-rest-{uuid.uuid4().hex[:8]}"
    # A Spanish sentence sets the conversation's language (the safety check)...
    first = texts(say(servers, sender, "Buenas tardes, tengo unas preguntas sobre el tratamiento"))
    assert first
    # ...so a bare "hola", which sets no language itself, gets the Spanish greeting.
    greeting = texts(say(servers, sender, "hola"))
    assert greeting.startswith("Hola, soy el asistente de"), greeting
    assert lines_in_order(greeting) == ["911", "988", helpline()]
    assert "Elija un tema o escriba su pregunta:" in greeting

    off_topic = texts(say(servers, sender, "me ayuda con la tarea de historia?"))
    assert off_topic.startswith("Solo puedo ayudar con preguntas sobre la adicción"), off_topic
    assert lines_in_order(off_topic) == [helpline(), "911", "988"]

    thanks = texts(say(servers, sender, "gracias"))
    assert thanks == "De nada. ¿Hay algo más que quiera saber?"
