"""A message that Rasa answers with nothing still gets a reply naming the helpline."""

import asyncio
import logging

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from center.facts import helpline
from channels.never_silent import never_silent, no_reply_text


def handled(handler) -> list[dict]:
    output = CollectingOutputChannel()
    asyncio.run(never_silent(handler)(UserMessage("hi", output, "someone")))
    return output.messages


def test_silence_becomes_the_no_reply_text_with_the_helpline():
    async def answers_nothing(message: UserMessage) -> None:
        return None

    [reply] = handled(answers_nothing)
    assert reply["text"] == no_reply_text()
    assert helpline() in reply["text"]


def test_an_answer_is_passed_on_alone():
    async def answers(message: UserMessage) -> None:
        await message.output_channel.send_response(message.sender_id, {"text": "hello"})

    assert [reply["text"] for reply in handled(answers)] == ["hello"]


def test_a_failure_is_contained_logged_without_the_text_and_still_answered(caplog):
    output = CollectingOutputChannel()

    async def fails(message: UserMessage) -> None:
        raise RuntimeError("action server down")

    with caplog.at_level(logging.ERROR):
        asyncio.run(never_silent(fails)(UserMessage("call me at 5085550142", output, "someone")))
    assert [reply["text"] for reply in output.messages] == [no_reply_text()]
    assert "action server down" in caplog.text
    assert "5085550142" not in caplog.text
