"""The goals of issue 9 on this 2-core machine, judged from one bench run."""

from dataclasses import dataclass
from statistics import median

from benchmarks.settings import LEVELS

TRAINING_LIMIT_SECONDS = 5 * 60
READY_LIMIT_SECONDS = 30
# Decimal gigabytes: the stricter reading of "1.3 GB".
MEMORY_LIMIT_BYTES = 1.3e9


@dataclass
class Goal:
    key: str
    goal: str
    figure: str
    # None: not measured in this run (e.g. the smoke trains nothing).
    met: bool | None


def _latency(results: dict) -> Goal:
    goal = "p95 REST latency no worse than stock Rasa's, at 1, 10 and 50 conversations"
    servers = results["servers"]
    if "stock" not in servers:
        return Goal("latency", goal, "stock Rasa not run", None)
    p95 = {
        name: {level: servers[name]["rest"][str(level)]["median"]["p95_ms"] for level in LEVELS}
        for name in ("ours", "stock")
    }
    figure = "; ".join(
        f"{level}: {p95['ours'][level]:.0f} vs {p95['stock'][level]:.0f} ms "
        f"({p95['ours'][level] / p95['stock'][level]:.2f}x)"
        for level in LEVELS
    )
    return Goal("latency", goal, figure, all(p95["ours"][x] <= p95["stock"][x] for x in LEVELS))


def _ready(results: dict) -> Goal:
    seconds = median(results["servers"]["ours"]["ready_seconds"])
    return Goal(
        "ready",
        f"server ready within {READY_LIMIT_SECONDS} s (median of the starts)",
        f"{seconds:.1f} s",
        seconds <= READY_LIMIT_SECONDS,
    )


def _training(results: dict) -> Goal:
    goal = f"full (cold) training within {TRAINING_LIMIT_SECONDS // 60} minutes"
    if "training" not in results:
        return Goal("training", goal, "not trained in this run", None)
    seconds = results["training"]["ours"]["cold"]["seconds"]
    return Goal("training", goal, f"{seconds:.0f} s", seconds <= TRAINING_LIMIT_SECONDS)


def _memory(results: dict) -> Goal:
    peak = max(results["servers"]["ours"]["peak_rss_bytes"])
    return Goal(
        "memory",
        f"peak memory of the Rasa server under {MEMORY_LIMIT_BYTES / 1e9:.1f} GB",
        f"{peak / 1e9:.2f} GB",
        peak < MEMORY_LIMIT_BYTES,
    )


def _accuracy(results: dict) -> Goal:
    goal = "held-out response-selection accuracy above stock Rasa and TF-IDF"
    accuracy = {
        name: figures["response_selection_accuracy"]
        for name, figures in results["accuracy"].items()
    }
    figure = ", ".join(f"{name} {value:.3f}" for name, value in accuracy.items())
    if "stock" not in accuracy:
        return Goal("accuracy", goal, figure + " (stock Rasa not run)", None)
    figure += "; right only by ours vs only by the other: " + ", ".join(
        f"{pair['only_ours']} vs {pair['only_other']} ({name}, p={pair['p_value']:.2f})"
        for name, figures in results["accuracy"].items()
        if (pair := figures.get("against_ours"))
    )
    return Goal(
        "accuracy",
        goal,
        figure,
        # bool(): sklearn's figures are numpy floats, and results.json needs true/false.
        bool(accuracy["ours"] > max(accuracy["stock"], accuracy["tfidf"])),
    )


def evaluate_goals(results: dict) -> list[Goal]:
    return [judge(results) for judge in (_latency, _ready, _training, _memory, _accuracy)]
