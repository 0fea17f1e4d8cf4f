"""Off-topic messages get the out-of-scope reply, not a curated answer."""

import pytest

from tools.in_process import Assistant

# Since the 2026-12-01 training data (19 more topics), the marked one passes the
# topic gate and gets a curated answer: the gate's topic words now include words
# ordinary chat uses. Strict: the day it passes, the mark goes.
_REGRESSION = pytest.mark.xfail(
    strict=True, reason="known regression: the topic gate's words grew with the new topics"
)


@pytest.mark.parametrize(
    "text",
    [
        "how do i reverse a string in python",
        "what are good first date ideas",
        pytest.param("whats the weather tomorrow in worcester", marks=_REGRESSION),
        "can you help with my math homework",
    ],
)
def test_messages_without_a_topic_word_are_out_of_scope(assistant: Assistant, text: str):
    parse = assistant.parse(text)
    assert parse["intent"]["name"] in {"out_of_scope", "nlu_fallback"}


def test_topic_questions_and_buttons_pass_the_gate(assistant: Assistant):
    parse = assistant.parse("how long does withdrawal last")
    assert parse["intent"]["full_retrieval_intent_name"] == "faq/withdrawal_timeline"
    assert parse.get("topic_gate") is None
    button = assistant.parse("/faq/privacy")
    assert button["intent"]["full_retrieval_intent_name"] == "faq/privacy"
