"""make bench, small: the report is written with every section. Figures are not judged.

The full bench (make bench) takes about 11 minutes on 2 cores; this runs the same code
with tiny message counts, no training, and the model make already trained.
"""

import json
import os
import subprocess
import sys
import time

import pytest

from benchmarks.accuracy import compare
from benchmarks.baselines import StockAssistant, TfidfNearestNeighbour, training_examples
from benchmarks.goals import evaluate_goals
from benchmarks.memory import PeakMemory
from benchmarks.report import SECTIONS
from benchmarks.settings import LEVELS, SMOKE
from tools.eval_nlu import predicted_label
from tools.in_process import ROOT


@pytest.fixture(scope="module")
def smoke(model_path, tmp_path_factory) -> tuple:
    out = tmp_path_factory.mktemp("bench")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "LAR_MODEL": model_path},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out, json.loads((out / "results.json").read_text())


def test_the_report_has_every_section_in_order(smoke):
    out, _ = smoke
    report = (out / "report.md").read_text()
    assert [line[3:] for line in report.splitlines() if line.startswith("## ")] == SECTIONS
    for plot in ("server.png", "latency.png", "accuracy.png"):
        assert f"]({plot})" in report
        assert (out / plot).read_bytes().startswith(b"\x89PNG")


def test_every_goal_is_judged_or_said_to_be_unmeasured(smoke):
    out, results = smoke
    goals = {goal["key"]: goal for goal in results["goals"]}
    assert set(goals) == {"latency", "ready", "training", "memory", "accuracy"}
    # The smoke trains nothing and runs no stock Rasa: those goals cannot be judged.
    assert goals["training"]["met"] is None and goals["latency"]["met"] is None
    assert goals["ready"]["met"] in (True, False) and goals["memory"]["met"] in (True, False)
    report = (out / "report.md").read_text()
    assert report.count("| not measured |") == 3


def test_every_rest_message_was_answered_at_each_concurrency(smoke):
    _, results = smoke
    rest = results["servers"]["ours"]["rest"]
    for level in LEVELS:
        assert rest[str(level)]["median"]["n"] == level * SMOKE.rest_length[level]
    assert results["servers"]["ours"]["peak_rss_bytes"][0] > 100e6


def test_accuracy_is_measured_for_ours_and_tfidf_on_the_whole_holdout(smoke):
    _, results = smoke
    accuracy = results["accuracy"]
    assert set(accuracy) == {"ours", "tfidf"}
    assert accuracy["ours"]["holdout_messages"] == accuracy["tfidf"]["holdout_messages"] > 100
    assert all(0 <= a["response_selection_accuracy"] <= 1 for a in accuracy.values())


def test_the_message_profile_shows_the_assistant_handling_text(smoke):
    out, _ = smoke
    assert "Agent.handle_text" in (out / "profile-messages.txt").read_text()


def test_tfidf_baseline_answers_a_training_example_with_its_own_label():
    training = training_examples()
    baseline = TfidfNearestNeighbour(training)
    for text, label in [training[0], next(pair for pair in training if "/" not in pair[1])]:
        assert predicted_label(baseline.parse(text)) == label


def test_stock_response_selector_is_read_under_the_faq_key():
    answer = {"response": {"intent_response_key": "faq/detox_what_is"}}

    class DefaultKeyModel:
        def parse(self, text):
            return {"intent": {"name": "faq"}, "response_selector": {"default": answer}}

    stock = StockAssistant(DefaultKeyModel())
    assert predicted_label(stock.parse("what is detox")) == "faq/detox_what_is"


def test_each_baseline_is_compared_with_ours_message_by_message():
    truth = ["faq/a", "faq/b", "faq/c", "greet"]
    accuracies = compare(
        {
            "ours": {"truth": truth, "predicted": ["faq/a", "faq/b", "faq/x", "greet"]},
            "tfidf": {"truth": truth, "predicted": ["faq/a", "faq/y", "faq/c", "thank"]},
        }
    )
    pair = accuracies["tfidf"]["against_ours"]
    assert (pair["only_ours"], pair["only_other"]) == (2, 1)
    low, high = accuracies["ours"]["interval_95"]
    assert low < 0.75 < high


def test_peak_memory_counts_child_processes():
    # A shell whose child holds about 200 MB: the shell alone is tiny.
    holder = "x = bytearray(200_000_000); import time; time.sleep(3)"
    process = subprocess.Popen(["bash", "-c", f"{sys.executable} -c '{holder}'; true"])
    with PeakMemory(process.pid, interval=0.05) as memory:
        process.wait()
        time.sleep(0.1)
    assert memory.peak_bytes > 190e6


def test_goals_without_stock_or_training_are_not_judged():
    results = {
        "servers": {
            "ours": {"ready_seconds": [12.0], "peak_rss_bytes": [1.4e9], "rest": {}},
        },
        "accuracy": {"ours": {"response_selection_accuracy": 0.9}},
    }
    goals = {goal.key: goal.met for goal in evaluate_goals(results)}
    assert goals == {
        "latency": None,
        "ready": True,
        "training": None,
        "memory": False,
        "accuracy": None,
    }
