"""make eval-nlu: intent and response-selection quality on held-out messages.

tests/nlu_holdout.yml (never trained on) holds questions for every
curated topic; tests/data/nlu_out_of_scope.yml holds messages that must get
no curated answer. Prints accuracy and macro-F1 and writes the confusion
matrix to reports/nlu/.
"""

import json
from collections import Counter
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from nlu_components.topics import selected_topic
from tools.in_process import ROOT, Assistant

HOLDOUT = ROOT / "tests" / "nlu_holdout.yml"
OUT_OF_SCOPE = ROOT / "tests" / "data" / "nlu_out_of_scope.yml"
REPORT_DIR = ROOT / "reports" / "nlu"
NO_CURATED_ANSWER = {"out_of_scope", "nlu_fallback"}


def examples(path: Path) -> list[tuple[str, str]]:
    """(text, label) pairs; label is faq/<id> for topics, else the intent."""
    data = load_data(str(path))
    return [
        (m.get("text"), m.get("intent_response_key") or m.get("intent"))
        for m in data.intent_examples
    ]


def predicted_label(parse: dict) -> str:
    """faq/<id> for a curated-topic reading, else the intent."""
    return selected_topic(parse) or parse["intent"]["name"]


def evaluate(assistant: Assistant) -> dict:
    holdout = examples(HOLDOUT)
    truth = [label for _, label in holdout]
    predicted = [predicted_label(assistant.parse(text)) for text, _ in holdout]
    topics = sorted(set(truth))
    per_topic = {
        t: sum(p == t for p, g in zip(predicted, truth, strict=False) if g == t) / truth.count(t)
        for t in topics
    }
    outside = examples(OUT_OF_SCOPE)
    outside_predicted = [assistant.parse(text)["intent"]["name"] for text, _ in outside]
    off_topic = [
        p for p, (_, g) in zip(outside_predicted, outside, strict=False) if g == "out_of_scope"
    ]
    dose = [
        p for p, (_, g) in zip(outside_predicted, outside, strict=False) if g == "ask_dose_or_drugs"
    ]
    return {
        "holdout_messages": len(holdout),
        "intent_accuracy": sum(p.startswith("faq/") for p in predicted) / len(predicted),
        "response_selection_accuracy": accuracy_score(truth, predicted),
        "response_selection_macro_f1": f1_score(
            truth, predicted, labels=topics, average="macro", zero_division=0
        ),
        "weakest_topics": sorted(per_topic.items(), key=lambda kv: kv[1])[:5],
        "confusions": Counter(
            f"{g} -> {p}" for p, g in zip(predicted, truth, strict=False) if p != g
        ).most_common(10),
        "out_of_scope_without_curated_answer": sum(p in NO_CURATED_ANSWER for p in off_topic)
        / len(off_topic),
        "dose_or_drug_asks_declined": sum(p == "ask_dose_or_drugs" for p in dose) / len(dose),
        "out_of_scope_got_a_topic_answer": sum(p == "faq" for p in outside_predicted),
        "_matrix": (topics, truth, predicted),
    }


def save_confusion_matrix(topics: list[str], truth: list[str], predicted: list[str]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = topics + sorted(set(predicted) - set(topics))
    matrix = confusion_matrix(truth, predicted, labels=labels)
    figure, axes = plt.subplots(figsize=(14, 12))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), [x.removeprefix("faq/") for x in labels], rotation=90)
    axes.set_yticks(range(len(labels)), [x.removeprefix("faq/") for x in labels])
    axes.set_xlabel("predicted")
    axes.set_ylabel("held-out label")
    axes.set_title("Response selection on the held-out set")
    figure.tight_layout()
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = REPORT_DIR / "confusion_matrix.png"
    figure.savefig(path, dpi=100)
    (REPORT_DIR / "confusion_matrix.json").write_text(
        json.dumps({"labels": labels, "matrix": matrix.tolist()}, indent=1)
    )
    return path


def main() -> None:
    assistant = Assistant()
    results = evaluate(assistant)
    path = save_confusion_matrix(*results.pop("_matrix"))
    print(f"Held-out messages:               {results['holdout_messages']}")
    print(f"Intent accuracy (faq):           {results['intent_accuracy']:.3f}")
    print(
        f"Response-selection accuracy:     {results['response_selection_accuracy']:.3f}"
        "  (target >= 0.92)"
    )
    print(f"Response-selection macro-F1:     {results['response_selection_macro_f1']:.3f}")
    print(
        f"Out-of-scope without a topic:    {results['out_of_scope_without_curated_answer']:.3f}"
        "  (target >= 0.90)"
    )
    print(f"Dose/drug asks declined:         {results['dose_or_drug_asks_declined']:.3f}")
    print("Weakest topics:", ", ".join(f"{t} {a:.2f}" for t, a in results["weakest_topics"]))
    print("Most common confusions:")
    for pair, count in results["confusions"]:
        print(f"  {count} x {pair}")
    print(f"Confusion matrix: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
