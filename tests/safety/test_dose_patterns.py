"""The dose/drug patterns catch the asks and leave curated questions alone."""

import pytest

from safety.dose_patterns import dose_or_drug_request
from tests.safety.dose_sets import CURATED_QUESTIONS, DOSE_ASKS, NEAR_MISSES, OFF_TOPIC


def test_the_sets_are_large_enough_to_mean_something():
    assert len(DOSE_ASKS) >= 100
    assert len(NEAR_MISSES) >= 80
    assert len(CURATED_QUESTIONS) >= 700


def test_every_dose_or_drug_ask_is_recognised():
    missed = [text for text in DOSE_ASKS if dose_or_drug_request(text) is None]
    assert missed == []


def test_no_curated_question_or_near_miss_is_taken_for_an_ask():
    taken = {
        text: dose_or_drug_request(text)
        for text in NEAR_MISSES + CURATED_QUESTIONS + OFF_TOPIC
        if dose_or_drug_request(text)
    }
    assert taken == {}


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("how many mg of bupe should i start on", "how_much_of_a_drug"),
        ("Whats the MAX dose of subs??", "asks_a_dose"),
        ("is 100mg of done ok", "names_an_amount"),
        ("is that too much bupe for day one", "too_much"),
        ("can i double up on my methadone", "changes_own_dose"),
        ("where can i cop some fent", "buys_drugs"),
        ("can i get subs w/o a script", "without_a_prescription"),
        ("can i mix xanax and suboxone", "mixes_drugs"),
        ("how do i pass a drug test for probation", "beats_a_drug_test"),
    ],
)
def test_each_kind_of_ask_is_named_by_its_pattern(text: str, pattern: str):
    assert dose_or_drug_request(text) == pattern


@pytest.mark.parametrize(
    "text",
    [
        "where can i buy narcan",
        "where can i get fentanyl test strips",
        "how much does suboxone cost without insurance",
        "how many days does withdrawal last",
        "how long do people stay on methadone",
        "can i get off dope at home without a clinic",
    ],
)
def test_information_questions_that_share_words_pass(text: str):
    assert dose_or_drug_request(text) is None
