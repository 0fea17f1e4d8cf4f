"""The trained model in this process, with no action server at all.

What must work when the action server is down: every urgent handoff, with its
payload, and the curated answers; custom actions fail soft.
"""

import pytest

from center.facts import helpline
from tests.replies import LINES, texts
from tools.in_process import Assistant

URGENT = [
    ("my friend is not breathing", "overdose", "911"),
    ("my son took too many pills", "overdose", "911"),
    ("i want to kill myself", "suicide", "988"),
    ("he is having a seizure", "medical", "911"),
    ("my husband is beating me", "danger", "911"),
    ("im about to use", "crisis", helpline()),
    ("talk to a person", "human", helpline()),
    ("mi hijo no respira", "overdose", "911"),
    ("quiero morir", "suicide", "988"),
]


@pytest.mark.parametrize(("message", "reason", "first_line"), URGENT)
def test_urgent_messages_get_the_handoff_emergency_line_first(
    assistant: Assistant, message: str, reason: str, first_line: str
):
    replies = assistant.say(f"no-actions-{reason}-{len(message)}", message)
    assert [r["custom"] for r in replies if "custom" in r] == [{"handoff": True, "reason": reason}]
    named = LINES.findall(texts(replies))
    assert named[0] == first_line
    assert helpline() in named


def test_curated_answers_and_the_menu_work(assistant: Assistant):
    replies = assistant.say("browse", "hi")
    assert "not a doctor" in texts(replies)
    assert [b["payload"] for b in replies[-1]["buttons"]][-1] == "/request_human"
    answer = assistant.say("browse", "/faq/mat_naltrexone")
    assert "Vivitrol" in texts(answer)


def test_a_custom_action_fails_soft(assistant: Assistant):
    assert assistant.say("sources", "where is that from") == []
    # ... and the conversation goes on.
    assert "911" in texts(assistant.say("sources", "she is not breathing"))
