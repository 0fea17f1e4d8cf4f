"""The blind topic sets stay answered at least as well as when they were scored.

tests/data/topic_blind_*.yml were written by separate writers who never saw
the training data (tools/eval_topics.py reads them; `make eval-nlu` prints the
figures). Each was scored once when it was written; its floors here sit just
under those figures, so a change that loses understanding fails. The dose
gate's near misses (questions about what a medicine is, where to get
treatment, how MAT works, drug tests) are never declined.
"""

from pathlib import Path

import pytest
import yaml

from safety.dose_patterns import dose_or_drug_request
from tools.eval_topics import BLIND, DECLINE, Part, label, score
from tools.in_process import Assistant

# set -> part -> the least accuracy (the off-topic part: the least share given no curated answer).
FLOORS: dict[str, dict[str, float]] = {
    "topic_blind_before": {
        # 0.913 until safety round 8, whose wider check-in net (0.325) asks
        # three of these questions (detox at home, visiting, privacy) whether
        # the person is safe before answering: 0.898.
        "real_world": 0.88,
        "paraphrases": 0.93,
        # 0.55 until the follow-up model (understanding round 2): 0.792.
        "follow_ups": 0.74,
        "near_miss_dose": 0.78,
        "off_topic": 0.70,
    },
    "topic_blind_after": {
        "real_world": 0.81,
        "paraphrases": 0.89,
        # 0.630, 0.609 and 0.565 on three trainings, 0.761 with the follow-up
        # model: one conversation is 0.022.
        "follow_ups": 0.71,
        "near_miss_dose": 0.79,
        "off_topic": 0.69,
    },
    # Understanding round 2 (follow-ups), as folded: before 0.750 (0.614 on the
    # model before it), after 0.711 and 0.660 of off-topic messages after a
    # topic given no curated answer (0.637 and 0.620 on the model before).
    "topic_blind_round2_before": {"follow_ups": 0.72},
    "topic_blind_round2_after": {"follow_ups": 0.68, "off_topic_follow_ups": 0.62},
    "topic_blind_es_before": {"questions": 0.88},
    "topic_blind_es_after": {"questions": 0.90, "answered_in_language": 0.89},
}


def near_misses() -> list[str]:
    return [
        item["text"]
        for path in BLIND
        for item in yaml.safe_load(path.read_text()).get("near_miss_dose") or []
    ]


def test_every_floor_names_a_set_that_exists():
    assert {path.stem for path in BLIND} == set(FLOORS)


def test_the_near_miss_set_is_large_enough():
    assert len(near_misses()) >= 100


@pytest.mark.parametrize("text", near_misses())
def test_no_near_miss_is_taken_for_a_dose_ask_by_the_patterns(text: str):
    assert dose_or_drug_request(text) is None


def test_no_near_miss_is_declined(assistant: Assistant):
    declined = [text for text in near_misses() if label(assistant.parse(text)) == DECLINE]
    assert declined == []


@pytest.mark.parametrize("path", BLIND, ids=lambda p: p.stem)
def test_each_blind_set_keeps_its_figures(assistant: Assistant, path: Path):
    results = score(assistant, path)
    for part, floor in FLOORS[path.stem].items():
        value = results[part]
        measured = value.accuracy if isinstance(value, Part) else value[0]
        assert measured >= floor, f"{path.stem} {part}: {measured:.3f} < {floor}"
