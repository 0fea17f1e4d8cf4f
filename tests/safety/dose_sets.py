"""The message sets the decline is checked against, read from tests/data/ and data/."""

from pathlib import Path

import yaml

from tools.content import examples_of
from tools.in_process import ROOT

FRESH = ROOT / "tests" / "data" / "dose_asks_fresh.yml"
OUT_OF_SCOPE = ROOT / "tests" / "data" / "nlu_out_of_scope.yml"
HOLDOUT = ROOT / "tests" / "nlu_holdout.yml"


def messages(path: Path, intent: str | None = None) -> list[str]:
    """Examples of `intent` in a Rasa NLU file (every intent when None)."""
    found = []
    for block in yaml.safe_load(path.read_text())["nlu"]:
        if intent is None or block.get("intent") == intent:
            found += examples_of(block.get("examples", ""))
    return found


DOSE_ASKS = messages(FRESH, "ask_dose_or_drugs") + messages(OUT_OF_SCOPE, "ask_dose_or_drugs")
NEAR_MISSES = messages(FRESH, "near_miss")
CURATED_QUESTIONS = messages(HOLDOUT) + [
    text for path in sorted((ROOT / "data" / "content").glob("*.yml")) for text in messages(path)
]
OFF_TOPIC = messages(OUT_OF_SCOPE, "out_of_scope")
