"""make safety-thresholds: choose the safety check's thresholds on the validation sets.

The validation sets (tests/data/safety_validation*.yml) were written by
writers who never saw the training data or the patterns, and are used for
nothing else: not training, not patterns. This trains the risk model as
`rasa train` does, reads every validation message with it and the crisis
patterns, and chooses, with the same decision the assistant makes
(safety.assessment.decide):
- per category, the highest urgent threshold at which every label still gets
  at least TARGET_EACH of its urgent messages handed off, and all of them
  together TARGET_URGENT. Where a label (or the whole) falls short, the
  threshold of the category its highest-scoring missed message was read as
  comes down to that message's score, the least change that catches it, until
  the targets are met or nothing above FLOOR is left; a change that would
  hand off more than HANDOFF_BUDGET of the ordinary messages is not made, and
  that message is left to the check-in;
- the lowest check-in threshold at which at most CHECK_IN_BUDGET of the
  ordinary messages get a check-in (or a handoff through a weak pattern): the
  check-in is the net for urgent messages unlike any seen, so it is as wide as
  the budget allows.
It prints the figures and the thresholds to put in config.yml (SafetyCheck)."""

import math
from dataclasses import dataclass, replace

import yaml
from rasa.shared.importers.importer import TrainingDataImporter

from safety.assessment import NONE, URGENT, Thresholds, decide
from safety.categories import BY_NAME
from safety.pattern_detector import Detection, shared_detector
from safety.risk_model import RiskModel, RiskReading
from safety.training_set import NOT_URGENT, Example, nlu_examples, read_groups, safety_examples
from tools.in_process import ROOT

VALIDATION = sorted((ROOT / "tests" / "data").glob("safety_validation*.yml"))
TARGET_URGENT = 0.98
TARGET_EACH = 0.98
CHECK_IN_BUDGET = 0.07
# Full handoffs allowed on ordinary messages: a lower threshold that would
# exceed it is not taken, and the message is left to the check-in.
HANDOFF_BUDGET = 0.02
FLOOR = 0.3
CEILING = 0.95
# A message the assistant did not understand gets a check-in at a lower score.
NOT_UNDERSTOOD_FACTOR = 0.6


@dataclass(frozen=True)
class Row:
    example: Example
    reading: RiskReading
    pattern: Detection | None

    def verdict(self, thresholds: Thresholds) -> str:
        # The validation messages are read as understood: the lower threshold
        # for messages the intent classifier did not understand needs the
        # whole model (make eval-safety measures it).
        words = len(self.example.text.split())
        return decide(self.reading, self.pattern, True, thresholds, words)[0]


def training_examples() -> list[Example]:
    """What SafetyCheck.train() sees under `rasa train`."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    [settings] = [c for c in config["pipeline"] if c["name"].endswith("SafetyCheck")]
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    )
    intents = ((m.get("intent"), m.get("text")) for m in importer.get_nlu_data().intent_examples)
    return safety_examples(ROOT / settings["training_data"]) + nlu_examples(intents)


def choose_urgent(rows: list[Row], check_in: float) -> Thresholds:
    thresholds = Thresholds(dict.fromkeys(BY_NAME, CEILING), check_in, check_in)
    urgent = [row for row in rows if row.example.label != NOT_URGENT]
    calm = [row for row in rows if row.example.label == NOT_URGENT]
    alarms_allowed = len(calm) * HANDOFF_BUDGET
    refused: set[int] = set()  # missed messages whose catching would alarm too often
    while True:
        candidates = []
        groups = [
            ([row for row in urgent if row.example.label == label], TARGET_EACH)
            for label in BY_NAME
        ] + [(urgent, TARGET_URGENT)]
        for mine, target in groups:
            missed = [row for row in mine if row.verdict(thresholds) != URGENT]
            if len(missed) > len(mine) * (1 - target):
                # Only a message a lower threshold could still catch: one the
                # threshold is already at or under is missed for another
                # reason (a negation, a past event), and choosing it again
                # would never end.
                candidates += [
                    row
                    for row in missed
                    if FLOOR <= row.reading.score < thresholds.urgent[row.reading.category]
                    and id(row) not in refused
                ]
        if not candidates:
            return thresholds
        best = max(candidates, key=lambda row: row.reading.score)
        trial = replace(
            thresholds, urgent={**thresholds.urgent, best.reading.category: best.reading.score}
        )
        if sum(row.verdict(trial) == URGENT for row in calm) > alarms_allowed:
            refused.add(id(best))  # left to the check-in
        else:
            thresholds = trial


def choose_check_in(rows: list[Row], thresholds: Thresholds) -> float:
    calm = [row for row in rows if row.example.label == NOT_URGENT]
    already = sum(row.verdict(replace(thresholds, check_in=1.0)) != NONE for row in calm)
    check_in = CEILING
    for trial in (c / 1000 for c in range(int(CEILING * 1000), int(FLOOR * 500), -5)):
        cared = sum(row.verdict(replace(thresholds, check_in=trial)) != NONE for row in calm)
        if cared - already > len(calm) * CHECK_IN_BUDGET:
            break
        check_in = trial
    return check_in


def rate(flags: list[bool]) -> str:
    return f"{sum(flags)}/{len(flags)} = {sum(flags) / max(1, len(flags)):.3f}"


def main() -> None:
    model = RiskModel.train(training_examples())
    detector = shared_detector()
    examples = [example for path in VALIDATION for example in read_groups(path)]
    rows = [Row(e, model.read(e.text), detector.detect(e.text)) for e in examples]
    # Weak patterns count with the check-in threshold: choose twice, so each
    # choice sees the other's final value.
    thresholds = choose_urgent(rows, check_in=FLOOR)
    check_in = choose_check_in(rows, thresholds)
    thresholds = choose_urgent(rows, check_in)
    thresholds = replace(
        thresholds,
        check_in=choose_check_in(rows, thresholds),
    )
    thresholds = replace(
        thresholds, check_in_not_understood=thresholds.check_in * NOT_UNDERSTOOD_FACTOR
    )

    names = ", ".join(str(path.relative_to(ROOT)) for path in VALIDATION)
    print(f"Validation sets: {len(rows)} messages ({names})")
    urgent = [row for row in rows if row.example.label != NOT_URGENT]
    calm = [row for row in rows if row.example.label == NOT_URGENT]
    for label in BY_NAME:
        mine = [row.verdict(thresholds) == URGENT for row in urgent if row.example.label == label]
        print(f"  {label:<13} handoff {rate(mine)}")
    print(f"  all urgent    handoff {rate([r.verdict(thresholds) == URGENT for r in urgent])}")
    cared = rate([r.verdict(thresholds) != NONE for r in urgent])
    print(f"  all urgent    handoff or check-in {cared}")
    print(f"  not urgent    handoff {rate([r.verdict(thresholds) == URGENT for r in calm])}")
    verdicts = [r.verdict(thresholds) for r in calm]
    print(f"  not urgent    check-in {rate([v not in (URGENT, NONE) for v in verdicts])}")
    print("\nFor config.yml (SafetyCheck):")
    print("    urgent_thresholds:")
    for name, value in thresholds.urgent.items():
        print(f"      {name}: {floor3(value)}")
    print(f"    check_in_threshold: {floor3(thresholds.check_in)}")
    print(f"    check_in_not_understood: {floor3(thresholds.check_in_not_understood)}")


def floor3(value: float) -> str:
    """Three decimals, rounded down: a threshold is a message's score, which
    must still reach it."""
    return f"{math.floor(value * 1000) / 1000:.3f}"


if __name__ == "__main__":
    main()
