"""The language of each message (safety/language.py) and of the conversation.

The detector is the in-house model with a Spanglish rule (chosen by `make
eval-language`); the safety check sets the `language` entity from it, and the
`language` slot picks the urgent replies' and the check-in's language. Checked
here: its choices on short and Spanglish messages, that "hola", "1" and "ok"
keep the conversation's language, that a conversation follows the person into
Spanish and back, and that `make shell DEBUG=1` shows the reading.
"""

import itertools

import pytest

from safety.categories import LANGUAGES
from safety.language import DETECTOR_NAME, SPANGLISH_SHARE, read_language, switches_to
from tools.in_process import Assistant
from tools.staff_shell import safety

# --- the rules, without the model ------------------------------------------------


def scores(**shares: float) -> dict[str, float]:
    return {lang: shares.get(lang, 0.0) for lang in LANGUAGES}


def test_spanglish_reads_as_spanish_with_both_languages_confidence():
    reading = read_language("mi hijo hizo overdose", scores(en=0.6, es=0.35, pt=0.05))
    assert (reading.language, reading.spanglish) == ("es", True)
    assert reading.confidence == pytest.approx(0.95)


def test_english_with_a_trace_of_spanish_stays_english():
    reading = read_language("my tia is sick", scores(en=0.9, es=SPANGLISH_SHARE - 0.05))
    assert (reading.language, reading.spanglish) == ("en", False)
    # One word is never Spanglish: it has only one language in it.
    assert read_language("ok", scores(en=0.6, es=0.4)).language == "en"


@pytest.mark.parametrize(
    ("text", "confidence", "switches"),
    [
        ("hola", 1.0, False),
        ("1", 1.0, False),
        ("ok", 1.0, False),
        ("hola buenas", 0.8, False),
        ("hola buenas", 0.95, True),
        ("necesito hablar con alguien", 0.7, True),
        ("necesito hablar con alguien", 0.5, False),
    ],
)
def test_short_or_unsure_messages_keep_the_conversations_language(
    text: str, confidence: float, switches: bool
):
    assert (switches_to(text, "es", confidence) == "es") is switches


# --- the trained pipeline ----------------------------------------------------------

# Short, misspelled and Spanglish messages, and the language each is read as.
CHOICES = [
    ("my friend is not breathing", "en"),
    ("i need to talk to someone", "en"),
    ("my abuela raised me and now she is sick", "en"),
    ("mi hijo no respira", "es"),
    ("necesito ayuda xfa", "es"),
    ("¿Está a salvo ahora mismo?", "es"),
    ("Quiero saber cómo está", "es"),
    # Spanglish counts as Spanish.
    ("mi hijo hizo overdose anoche", "es"),
    ("my primo is on the floor y no se despierta", "es"),
    ("ayuda my son no respira", "es"),
    ("necesito ir al detox hoy", "es"),
    ("my mom no quiere ir al rehab", "es"),
    ("i need help pero no hablo bien ingles", "es"),
    ("como hago el appointment", "es"),
    ("meu filho nao acorda", "pt"),
    ("pitit gason m pa respire", "ht"),
    ("mwen bezwen pale ak yon moun", "ht"),
    ("con toi khong tho duoc", "vi"),
    ("toi can noi chuyen voi nguoi that", "vi"),
]


@pytest.mark.parametrize(("text", "language"), CHOICES)
def test_the_detector_reads_short_and_spanglish_messages(
    assistant: Assistant, text: str, language: str
):
    verdict = assistant.parse(text)["safety"]
    assert (verdict["language"], verdict["language_detector"]) == (language, DETECTOR_NAME)


def entity_language(assistant: Assistant, text: str) -> str | None:
    entities = assistant.parse(text).get("entities") or []
    return next((e["value"] for e in entities if e["entity"] == "language"), None)


@pytest.mark.parametrize("text", ["hola", "1", "ok", "👍", "help"])
def test_very_short_messages_set_no_language(assistant: Assistant, text: str):
    assert entity_language(assistant, text) is None


_conversations = itertools.count()


def conversation(assistant: Assistant, messages: list[str]) -> list[str]:
    """The conversation's language after each message."""
    sender = f"language-{next(_conversations)}"
    languages = []
    for text in messages:
        assistant.say(sender, text)
        languages.append(assistant.tracker(sender).get_slot("language"))
    return languages


def test_hola_1_and_ok_keep_the_conversations_language(assistant: Assistant):
    spanish = ["necesito hablar con alguien sobre mi hermano", "hola", "1", "ok"]
    assert conversation(assistant, spanish) == ["es", "es", "es", "es"]
    english = ["i have a question about methadone", "hola", "1", "ok"]
    assert conversation(assistant, english) == ["en", "en", "en", "en"]
    vietnamese = ["toi can noi chuyen voi nguoi that", "ok", "1", "hola"]
    assert conversation(assistant, vietnamese) == ["vi", "vi", "vi", "vi"]


def test_a_conversation_switches_to_spanish_and_back_when_the_person_does(
    assistant: Assistant,
):
    messages = [
        "hi, i have a question about detox",
        "perdon, mejor en español. mi hermano no quiere dejar de usar",
        "ok",
        "my primo is on the floor y no se despierta",
        "sorry, can we go back to english please",
    ]
    assert conversation(assistant, messages) == ["en", "es", "es", "es", "en"]


def test_the_urgent_reply_follows_the_conversations_language(assistant: Assistant):
    sender = f"language-{next(_conversations)}"
    assistant.say(sender, "necesito hablar con alguien sobre mi hermano")
    # One word said in English: not enough to switch, so the reply stays Spanish.
    replies = assistant.say(sender, "HELP")
    assert [r["custom"]["handoff"] for r in replies if "custom" in r] == [True]
    text = " ".join(r.get("text") or "" for r in replies)
    assert "llame al 911" in text.lower() and "Call" not in text
    assert assistant.tracker(sender).get_slot("language") == "es"


# --- make shell DEBUG=1 -----------------------------------------------------------


def test_the_staff_shell_shows_the_detected_language_and_its_confidence(assistant: Assistant):
    verdict = assistant.parse("i need help pero no hablo bien ingles")["safety"]
    line = safety(verdict)
    assert f"language es {verdict['language_confidence']:.2f}" in line
    assert line.endswith("(Spanglish, sets the conversation's)")
    assert safety(assistant.parse("hola")["safety"]).endswith("(keeps the conversation's)")
