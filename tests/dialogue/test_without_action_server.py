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
    ("im about to use", "about_to_use", "988"),
    ("this is an emergency i need a real person now", "person_now", "911"),
    ("HELP", "person_now", "911"),
    ("talk to a person", "human", "911"),
    ("mi hijo no respira", "overdose", "911"),
    ("quiero morir, ya no aguanto", "suicide", "988"),
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


@pytest.mark.parametrize(
    ("message", "opening"),
    [
        ("mi hijo no respira y tiene los labios azules", "Llame al 911"),
        ("meu filho não acorda e está com os lábios roxos", "Ligue"),
        ("pitit gason m pa respire, li pa reveye", "Rele 911"),
        ("con tôi không thở được, môi nó tím tái", "Hãy gọi 911"),
    ],
)
def test_an_urgent_message_is_answered_in_its_language(
    assistant: Assistant, message: str, opening: str
):
    replies = assistant.say(f"lang-{len(message)}", message)
    assert [r["custom"] for r in replies if "custom" in r] == [
        {"handoff": True, "reason": "overdose"}
    ]
    assert texts(replies).startswith(opening)


def test_unclear_risk_gets_a_check_in_and_i_need_help_now_gets_the_handoff(
    assistant: Assistant,
):
    sender = "check-in"
    replies = assistant.say(sender, "things are really dark right now")
    assert [r["custom"]["check_in"] for r in replies if "custom" in r] == [True]
    assert "911" in texts(replies) and "988" in texts(replies)
    [buttons] = [r["buttons"] for r in replies if r.get("buttons")]
    [help_now, safe] = [b["payload"] for b in buttons]
    after = assistant.say(sender, help_now)
    assert [r["custom"] for r in after if "custom" in r] == [
        {"handoff": True, "reason": "person_now"}
    ]
    assert "safe" in texts(assistant.say(sender + "-2", safe)).lower()


@pytest.mark.parametrize(
    "question",
    ["can withdrawal kill you", "can you die from coming off dope", "is withdrawal deadly"],
)
def test_can_withdrawal_kill_gets_the_answer_that_says_when(assistant: Assistant, question: str):
    reply = texts(assistant.say(f"deadly-{len(question)}", question))
    assert "seizure is not a normal part of opioid withdrawal" in reply
    assert "alcohol or benzodiazepines" in reply and "911" in reply
