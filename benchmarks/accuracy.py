"""Held-out accuracy of each system, and how far apart two systems really are.

With about 200 held-out messages, one message is half a point of accuracy, so
the report gives each accuracy a 95% interval and, for each baseline, the
messages only one of the two got right (an exact McNemar test on them).
"""

from math import sqrt

from scipy.stats import binomtest

from tools.eval_nlu import evaluate


def accuracy_of(system) -> dict:
    """eval_nlu's figures, plus the label predicted for each held-out message, in order."""
    results = evaluate(system)
    _topics, truth, predicted = results.pop("_matrix")
    return results | {"truth": truth, "predicted": predicted}


def wilson_interval(correct: int, total: int, z: float = 1.96) -> tuple[float, float]:
    share = correct / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return centre - half, centre + half


def paired(ours: dict, other: dict) -> dict:
    """Messages only ours got right, only the other got right, and the chance of such a split."""
    right = [
        (o == t, x == t)
        for t, o, x in zip(ours["truth"], ours["predicted"], other["predicted"], strict=True)
    ]
    only_ours = sum(a and not b for a, b in right)
    only_other = sum(b and not a for a, b in right)
    disagreements = only_ours + only_other
    p_value = binomtest(only_ours, disagreements).pvalue if disagreements else 1.0
    return {"only_ours": only_ours, "only_other": only_other, "p_value": p_value}


def compare(accuracies: dict[str, dict]) -> dict[str, dict]:
    """Interval for each system; paired counts of each baseline against ours."""
    for name, figures in accuracies.items():
        correct = sum(p == t for p, t in zip(figures["predicted"], figures["truth"], strict=True))
        figures["interval_95"] = wilson_interval(correct, len(figures["truth"]))
        if name != "ours":
            figures["against_ours"] = paired(accuracies["ours"], figures)
    return accuracies
