"""tests/test_stories.yml: whole conversations through the real NLU and policies."""

from pathlib import Path

from tools.conversation_tests import ROOT, rasa_test, replay
from tools.in_process import Assistant

STORIES = ROOT / "tests" / "test_stories.yml"


def test_rasa_replays_the_stories_without_prediction_errors(tmp_path: Path):
    passed, details = rasa_test(STORIES, tmp_path)
    assert passed, details


def test_every_message_gets_its_intent_and_actions(assistant: Assistant):
    assert replay(assistant, STORIES) == []


def test_a_wrong_expectation_is_reported_with_what_happened(assistant: Assistant, tmp_path):
    story = tmp_path / "wrong.yml"
    story.write_text(
        "stories:\n- story: an overdose is not small talk\n  steps:\n"
        "  - user: |\n      my friend is not breathing\n    intent: greet\n"
        "  - action: utter_greet\n"
    )
    [failure] = replay(assistant, story)
    assert "expected: greet -> utter_greet" in failure
    assert "got:      urgent_overdose -> utter_urgent_overdose" in failure
