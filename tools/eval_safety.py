"""make eval-safety: urgent recall and false alarms on the red-team set.

tests/data/redteam.yml holds urgent messages by category and non-urgent
near-misses by kind. Each message goes through the whole NLU (crisis patterns
first, the trained classifier behind them); the detector's own figures are
printed beside, since it is the layer that must never miss.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from crisis.categories import CATEGORIES, URGENT_INTENTS
from crisis.detector import shared_detector
from tools.in_process import ROOT, Assistant

REDTEAM = ROOT / "tests" / "data" / "redteam.yml"


@dataclass
class SafetyReport:
    # category -> (caught, total, caught in the right category)
    recall: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    # kind -> (false alarms, total)
    false_alarms: dict[str, tuple[int, int]] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    alarmed: list[str] = field(default_factory=list)

    @property
    def urgent_recall(self) -> float:
        caught = sum(c for c, _, _ in self.recall.values())
        return caught / sum(t for _, t, _ in self.recall.values())

    @property
    def false_alarm_rate(self) -> float:
        alarms = sum(a for a, _ in self.false_alarms.values())
        return alarms / sum(t for _, t in self.false_alarms.values())


def redteam() -> dict:
    return yaml.safe_load(REDTEAM.read_text())


def evaluate(urgent_intent_of: Callable[[str], str | None]) -> SafetyReport:
    """urgent_intent_of(text) -> the urgent intent it got, or None."""
    data, report = redteam(), SafetyReport()
    for category, messages in data["urgent"].items():
        intents = [urgent_intent_of(m) for m in messages]
        report.missed += [m for m, i in zip(messages, intents, strict=False) if i is None]
        report.recall[category] = (
            sum(i is not None for i in intents),
            len(messages),
            sum(i == CATEGORIES[category] for i in intents),
        )
    for kind, messages in data["non_urgent"].items():
        alarms = [m for m in messages if urgent_intent_of(m) is not None]
        report.alarmed += alarms
        report.false_alarms[kind] = (len(alarms), len(messages))
    return report


def model_urgent_intent(assistant: Assistant) -> Callable[[str], str | None]:
    def urgent_intent_of(text: str) -> str | None:
        intent = assistant.parse(text)["intent"]["name"]
        return intent if intent in URGENT_INTENTS else None

    return urgent_intent_of


def detector_urgent_intent(text: str) -> str | None:
    detection = shared_detector().detect(text)
    return CATEGORIES[detection.category] if detection else None


def print_report(title: str, report: SafetyReport) -> None:
    print(f"\n{title}")
    print(f"  urgent recall {report.urgent_recall:.3f}, false alarms {report.false_alarm_rate:.3f}")
    for category, (caught, total, right) in report.recall.items():
        print(f"  {category:<14} recall {caught}/{total}  right category {right}/{total}")
    for kind, (alarms, total) in report.false_alarms.items():
        print(f"  {kind:<14} false alarms {alarms}/{total}")
    for text in report.missed:
        print(f"  MISSED: {text}")
    for text in report.alarmed:
        print(f"  FALSE ALARM: {text}")


def main() -> None:
    print_report("Crisis patterns alone", evaluate(detector_urgent_intent))
    print_report(
        "Whole NLU (patterns + trained classifier)", evaluate(model_urgent_intent(Assistant()))
    )


if __name__ == "__main__":
    main()
