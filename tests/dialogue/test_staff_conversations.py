"""The staff's conversation tests (tests/conversations/) pass, and a wrong one says why."""

from tools.conversation_tests import ROOT, replay, stories_in
from tools.in_process import Assistant

STAFF = ROOT / "tests" / "conversations"


def test_staff_conversations_pass(assistant: Assistant):
    assert stories_in(STAFF), "the documented example must be there"
    assert replay(assistant, STAFF) == []


def test_a_wrong_topic_is_reported(assistant: Assistant, tmp_path):
    (tmp_path / "wrong.yml").write_text(
        "stories:\n- story: wrong topic\n  steps:\n"
        "  - user: |\n      how long does withdrawal last\n    intent: faq/mat_methadone\n"
        "  - action: utter_faq\n"
    )
    [failure] = replay(assistant, tmp_path)
    assert "expected: faq/mat_methadone -> utter_faq" in failure
    assert "got:      faq/withdrawal_timeline -> utter_faq" in failure
