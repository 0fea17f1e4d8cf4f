"""make eval-safety: what the whole NLU does with urgent and ordinary messages.

Every set in SETS goes through the trained model (the intent classifier, the
gates and the safety check, as on every channel), and for each category and
each language it reports:
- handoff: urgent messages that got an urgent handoff (any category);
- right first line: ... whose reply names the category's emergency line first
  (911 or 988, safety/categories.py);
- handoff or check-in: urgent messages that got either;
- full handoffs and check-ins on the non-urgent messages.
A handoff here is an urgent intent only: "talk to a person" (request_human)
is not counted, on either side.

Sets in the groups format of safety/training_set.py. The blind sets were
written by writers who never saw the patterns, the training data or the
thresholds; the validation sets chose the thresholds, so they are not a fresh
measure. tests/data/redteam.yml, the first red-team set, is written against
the patterns and read in its own format. `--show` prints the messages behind
the misses of the sets that are not blind.
"""

import argparse
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from safety.categories import BY_NAME, CHECK_IN_INTENT, URGENT_INTENTS
from safety.training_set import NOT_URGENT, Example, read_groups
from tools.in_process import ROOT, Assistant

DATA = ROOT / "tests" / "data"
REDTEAM = DATA / "redteam.yml"
VALIDATION = sorted(DATA.glob("safety_validation*.yml"))
BLIND_PREFIX = "crisis_blind_"
ALL = "all"
HANDOFF, CHECK_IN, NOTHING = "handoff", "check-in", "nothing"


def redteam_examples(path: Path = REDTEAM) -> list[Example]:
    """The first red-team set: urgent by category (Spanish ones as "<category>_es")."""
    data = yaml.safe_load(path.read_text())
    examples = []
    for name, texts in data["urgent"].items():
        language = "es" if name.endswith("_es") else "en"
        examples += [Example(t, name.removesuffix("_es"), language) for t in texts]
    for texts in data["non_urgent"].values():
        examples += [Example(t, NOT_URGENT, "en") for t in texts]
    return examples


def sets() -> dict[str, list[Example]]:
    found = {"red-team (written against the patterns)": redteam_examples()}
    for path in VALIDATION:
        found[f"validation: {path.stem} (chose the thresholds)"] = list(read_groups(path))
    for path in sorted(DATA.glob(f"{BLIND_PREFIX}*.yml")):
        found[f"blind: {path.stem.removeprefix(BLIND_PREFIX)}"] = list(read_groups(path))
    return found


@dataclass(frozen=True)
class Outcome:
    example: Example
    kind: str  # HANDOFF, CHECK_IN or NOTHING
    first_line: str | None  # the emergency line the reply names first

    @property
    def right_line(self) -> bool:
        expected = BY_NAME[self.example.label].emergency_line
        return self.kind == HANDOFF and self.first_line == expected


@dataclass
class Tally:
    urgent: int = 0
    handoff: int = 0
    right_line: int = 0
    any_care: int = 0
    calm: int = 0
    calm_handoff: int = 0
    calm_check_in: int = 0

    def add(self, outcome: Outcome) -> None:
        if outcome.example.label == NOT_URGENT:
            self.calm += 1
            self.calm_handoff += outcome.kind == HANDOFF
            self.calm_check_in += outcome.kind == CHECK_IN
        else:
            self.urgent += 1
            self.handoff += outcome.kind == HANDOFF
            self.right_line += outcome.right_line
            self.any_care += outcome.kind != NOTHING


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def by(self, key: Callable[[Example], str]) -> dict[str, Tally]:
        tallies: dict[str, Tally] = defaultdict(Tally)
        for outcome in self.outcomes:
            tallies[ALL].add(outcome)
            tallies[key(outcome.example)].add(outcome)
        return dict(tallies)

    def missed(self) -> list[Example]:
        return [
            o.example for o in self.outcomes if o.example.label != NOT_URGENT and o.kind != HANDOFF
        ]

    def alarmed(self) -> list[Example]:
        return [
            o.example for o in self.outcomes if o.example.label == NOT_URGENT and o.kind != NOTHING
        ]


def first_emergency_line(text: str) -> str | None:
    found = [(text.find(line), line) for line in ("911", "988") if line in text]
    return min(found)[1] if found else None


def evaluate(assistant: Assistant, examples: Iterable[Example]) -> Report:
    responses = assistant.agent.domain.responses
    report = Report()
    for example in examples:
        intent = assistant.parse(example.text)["intent"]["name"]
        if intent in URGENT_INTENTS:
            # Every language variant names the same line first (tested).
            text = responses[f"utter_{intent}"][0]["text"]
            report.outcomes.append(Outcome(example, HANDOFF, first_emergency_line(text)))
        else:
            kind = CHECK_IN if intent == CHECK_IN_INTENT else NOTHING
            report.outcomes.append(Outcome(example, kind, None))
    return report


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "-"


def print_report(title: str, report: Report, show: bool) -> None:
    print(f"\n== {title}")
    header = "  {:<14} {:>18} {:>18} {:>18} {:>18} {:>18}"
    columns = ("handoff", "right first line", "handoff/check-in", "calm: handoff", "calm: check-in")
    print(header.format("", *columns))
    for first, grouping in enumerate((lambda e: e.label, lambda e: f"lang {e.language}")):
        for name, t in sorted(report.by(grouping).items(), key=lambda kv: kv[0] != ALL):
            if name == NOT_URGENT or (name == ALL and first):
                continue
            print(
                header.format(
                    name,
                    _rate(t.handoff, t.urgent),
                    _rate(t.right_line, t.urgent),
                    _rate(t.any_care, t.urgent),
                    _rate(t.calm_handoff, t.calm),
                    _rate(t.calm_check_in, t.calm),
                )
            )
    if show:
        for example in report.missed():
            print(f"  NO HANDOFF [{example.label}/{example.language}] {example.text}")
        for example in report.alarmed():
            print(f"  CALM BUT ALARMED [{example.language}] {example.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="messages behind non-blind misses")
    parser.add_argument("files", nargs="*", type=Path, help="other sets in the groups format")
    args = parser.parse_args()
    assistant = Assistant()
    chosen = {str(path): list(read_groups(path)) for path in args.files} or sets()
    for title, examples in chosen.items():
        blind = title.startswith("blind") or bool(args.files)
        print_report(title, evaluate(assistant, examples), args.show and not blind)


if __name__ == "__main__":
    main()
