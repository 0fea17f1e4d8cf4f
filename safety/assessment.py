"""One message's safety verdict: urgent, check in, or nothing, and in which language.

- Urgent: the risk model's score reaches its category's urgent threshold (in a
  message of more than one word), or a crisis pattern fires. The patterns are
  a floor: they can add an urgent reading, never remove one. When the model is
  sure, its category names the reply ("shoot the whole bag and not wake up" is
  suicide, 988 first); when only a pattern fired, the pattern's category does.
  A `weak` pattern (a word also used calmly, such as "sobredosis") counts only
  where the model sees some risk too (a score from the check-in threshold on):
  it turns that check-in into a handoff.
- Check-in: risk is possible but unclear: the score falls between the check-in
  and urgent thresholds, or the message was not understood (fallback, out of
  scope) and its score reaches the lower threshold for such messages.
- Language: the model's reading (safety/language.py, Spanglish counts as
  Spanish) when it is sure enough for the message's length; very short
  messages ("hola", "ok", "1") say nothing, so the conversation keeps its language.

Thresholds are chosen on a validation set written apart from the training data
(make safety-thresholds) and kept in config.yml.
"""

from dataclasses import dataclass, field
from typing import Any

from safety.categories import BY_NAME, UNCLEAR
from safety.language import DETECTOR_NAME, LanguageReading, read_language, switches_to
from safety.pattern_detector import CrisisDetector, Detection
from safety.risk_model import RiskModel, RiskReading

URGENT, CHECK_IN, NONE = "urgent", "check_in", "none"


@dataclass(frozen=True)
class Thresholds:
    urgent: dict[str, float]  # category -> score from which it is urgent
    check_in: float  # score from which an understood message gets a check-in
    check_in_not_understood: float  # the same for a message that was not understood

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Thresholds":
        urgent = dict(config["urgent_thresholds"])
        missing = set(BY_NAME) - set(urgent)
        if missing:
            raise ValueError(f"urgent_thresholds has no threshold for {sorted(missing)}")
        return cls(urgent, config["check_in_threshold"], config["check_in_not_understood"])


@dataclass(frozen=True)
class Assessment:
    verdict: str  # URGENT, CHECK_IN or NONE
    category: str | None  # the urgent category, or the check-in's reason
    language: str | None  # None: too unsure to switch the conversation's language
    reading: RiskReading
    language_reading: LanguageReading  # the detected language, switching or not
    pattern: Detection | None = field(default=None)

    def as_parse_data(self) -> dict[str, Any]:
        """What `make shell DEBUG=1` and the logs show of the verdict."""
        return {
            "verdict": self.verdict,
            "category": self.category,
            "score": round(self.reading.score, 3),
            "model_category": self.reading.category,
            "pattern": self.pattern.pattern if self.pattern else None,
            # The detected language, and whether it switches the conversation's.
            "language": self.language_reading.language,
            "language_confidence": round(self.language_reading.confidence, 3),
            "language_detector": DETECTOR_NAME,
            "language_spanglish": self.language_reading.spanglish,
            "language_switch": self.language is not None,
        }


def assess(
    text: str,
    understood: bool,
    model: RiskModel,
    detector: CrisisDetector,
    thresholds: Thresholds,
) -> Assessment:
    reading = model.read(text)
    pattern = detector.detect(text)
    verdict, category = decide(reading, pattern, understood, thresholds, len(text.split()))
    language = read_language(text, reading.languages)
    switch = switches_to(text, language.language, language.confidence)
    return Assessment(verdict, category, switch, reading, language, pattern)


def decide(
    reading: RiskReading,
    pattern: Detection | None,
    understood: bool,
    thresholds: Thresholds,
    words: int,
) -> tuple[str, str | None]:
    """The verdict and its category (or the check-in's reason), as described above."""
    model_urgent = reading.score >= thresholds.urgent[reading.category]
    # One word ("STOP", "dying") is too little for the model alone to hand off
    # on; the patterns know the one-word pleas ("help", "od").
    if model_urgent and words > 1:
        return URGENT, reading.category
    if pattern is not None and not pattern.weak:
        return URGENT, pattern.category
    if model_urgent or reading.score >= thresholds.check_in:
        if pattern is not None:  # a weak pattern where the model sees some risk
            return URGENT, pattern.category
        return CHECK_IN, reading.category
    if not understood and reading.score >= thresholds.check_in_not_understood:
        return CHECK_IN, UNCLEAR
    return NONE, None
