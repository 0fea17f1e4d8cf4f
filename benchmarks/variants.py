"""make bench, part two: which NLU settings answer real questions best.

Trains the NLU of config.yml and of each variant below on the same data, then
scores every one on the blind topic sets (tests/data/topic_blind_*.yml, the
single-message parts: real-world questions, paraphrases, near misses of the
dose gate, off-topic messages) and on tests/nlu_holdout.yml. The variants are
the settings the understanding issue asked to compare; what won is in
config.yml, with the figures in its comments. Dense features are not among
them: no spaCy 3.4 model with word vectors, and no transformer weights, can be
installed on a machine without downloads (only spacy.blank and lookups).

    python -m benchmarks.variants [--only NAME ...]   (one NLU training per variant)
"""

import argparse
import copy
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import yaml

from tools.eval_nlu import examples
from tools.eval_topics import BLIND, Part, label, score
from tools.in_process import ROOT, Assistant
from tools.local_servers import VENV_BIN

REPORT = ROOT / "reports" / "bench" / "variants.json"
HOLDOUT = ROOT / "tests" / "nlu_holdout.yml"

# name -> {component name: settings changed from config.yml}
VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    "config.yml": {},
    # With no transformer layer the selector drops the label's sequence features
    # and, with the answer text as label, has none left (RasaHQ/rasa#8046).
    "selector: answer text as label": {
        "ResponseSelector": {"use_text_as_label": True, "number_of_transformer_layers": 1}
    },
    "selector: 200 epochs": {"ResponseSelector": {"epochs": 200}},
    # Most of a training's time is the selector's epochs: fewer, if nothing is lost.
    "selector: 40 epochs": {"ResponseSelector": {"epochs": 40}},
    # The selector's own defaults embed text and label through 512-wide layers
    # (DIET: 128 and 20); its epochs cost about six of DIET's. Narrower halves
    # the training and loses accuracy (config.yml says by how much).
    "selector: DIET-sized layers": {
        "ResponseSelector": {
            "dense_dimension": {"text": 128, "label": 20},
            "concat_dimension": {"text": 128, "label": 20},
            "hidden_layers_sizes": {"text": [], "label": []},
        }
    },
    "selector: 1 transformer layer": {"ResponseSelector": {"number_of_transformer_layers": 1}},
    "DIET: 100 epochs": {"DIETClassifier": {"epochs": 100}},
    "word bigrams": {"CountVectorsFeaturizer": {"max_ngram": 2}},
}


def variant_config(changes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    pipeline = copy.deepcopy(config["pipeline"])
    for name, settings in changes.items():
        # The first component of that name (the word-level CountVectorsFeaturizer).
        component = next(c for c in pipeline if c["name"] == name)
        component.update(settings)
    return config | {"pipeline": pipeline}


def train_nlu(name: str, changes: dict[str, dict[str, Any]], folder: Path) -> tuple[Path, float]:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.yml"
    config.write_text(yaml.safe_dump(variant_config(changes), sort_keys=False))
    started = time.monotonic()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "train", "nlu", "--config", str(config), "--nlu", "data"]
        + ["--out", str(folder), "--fixed-model-name", "nlu"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return folder / "nlu.tar.gz", time.monotonic() - started


def figures(model: Path) -> dict[str, float]:
    assistant = Assistant(str(model))
    parts: dict[str, object] = {}
    for path in BLIND:
        parts |= {f"{path.stem}/{k}": v for k, v in score(assistant, path, False).items()}
    holdout = [(truth, label(assistant.parse(text))) for text, truth in examples(HOLDOUT)]
    parts["nlu_holdout"] = Part("holdout", holdout)
    assistant.close()
    found: dict[str, float] = {}
    for key, value in parts.items():
        if isinstance(value, Part) and value.pairs:
            found[key] = round(value.accuracy, 3)
            found[f"{key} wrong answer"] = round(value.wrong_answer_rate, 3)
        elif key.endswith("/off_topic"):
            found[f"{key} no answer"] = round(value[0], 3)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="variant names to run")
    parser.add_argument("--work", type=Path, default=ROOT / "reports" / "bench" / "variants")
    args = parser.parse_args()
    chosen = {k: v for k, v in VARIANTS.items() if not args.only or k in args.only}
    table: dict[str, dict[str, float]] = {}
    for index, (name, changes) in enumerate(chosen.items()):
        print(f"training {name} ...", flush=True)
        model, seconds = train_nlu(name, changes, args.work / f"v{index}")
        table[name] = {"training seconds": round(seconds)} | figures(model)
        print(json.dumps(table[name], indent=1), flush=True)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(table, indent=1))
    columns = sorted({c for row in table.values() for c in row})
    for column in columns:
        print(
            f"{column:55s} " + "  ".join(f"{row.get(column, '-')!s:>7}" for row in table.values())
        )
    print("variants:", " | ".join(table))


if __name__ == "__main__":
    main()
