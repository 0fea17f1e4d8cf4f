"""The "Call the helpline" button: its own payload, /call_helpline, answered by a response alone.

"Talk to a person" offers "Call the helpline" (/call_helpline) beside "Ask for
a call back" (/request_callback), so no channel tells it from "Talk to a
person" (/request_human) by its English title. The widget dials it itself
(tests/widget/); everywhere else the assistant answers it with
utter_call_helpline, by a rule with no custom action: 911 first in case it is
an emergency, 988, then the helpline, in the person's language. It is a
button's intent only, with no training examples, so the models read typed
messages as before. Checked here with the trained model in this process and
no action server at all, and by SMS against the real servers (the reply, then
"1" for a call back).
"""

import pytest
from rasa.shared.core.events import ActionExecuted

from center.facts import helpline
from safety.categories import LANGUAGES
from tests.channels import sms_client
from tests.replies import LINES, texts
from tools.in_process import Assistant
from tools.local_servers import Servers

# How each language's reply opens: the emergency line first.
OPENINGS = {
    "en": "If this is an emergency, call 911 now.",
    "es": "Si es una emergencia, llame al 911 ahora.",
    "pt": "Se for uma emergência, ligue para o 911 agora.",
    "ht": "Si se yon ijans, rele 911 kounye a.",
    "vi": "Nếu đây là trường hợp khẩn cấp, hãy gọi 911 ngay.",
}
HANDOFF = {"handoff": True, "reason": "human"}


def handoffs(replies: list[dict]) -> list[dict]:
    """The custom payloads of the replies (REST sends each as a message of its own)."""
    return [r["custom"] for r in replies if "custom" in r]


def payloads(replies: list[dict]) -> dict[str, str]:
    return {b["title"]: b["payload"] for r in replies for b in r.get("buttons") or []}


def actions_of(assistant: Assistant, sender: str) -> list[str]:
    events = assistant.tracker(sender).events
    return [e.action_name for e in events if isinstance(e, ActionExecuted)]


def test_talk_to_a_person_gives_call_the_helpline_its_own_payload(assistant: Assistant):
    replies = assistant.say("helpline-offer", "/request_human")
    assert payloads(replies) == {
        "Call the helpline": "/call_helpline",
        "Ask for a call back": "/request_callback",
    }


def test_every_language_has_its_reply_on_the_web_and_by_sms():
    assert set(OPENINGS) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_call_the_helpline_names_911_first_then_the_helpline_without_the_action_server(
    assistant: Assistant, language: str
):
    sender = f"call-helpline-{language}"
    # The language slot as the safety check fills it: from the `language` entity.
    replies = assistant.say(sender, f'/call_helpline{{"language": "{language}"}}')
    assert handoffs(replies) == [HANDOFF]
    text = texts(replies)
    assert text.startswith(OPENINGS[language]), text
    lines = LINES.findall(text)
    assert lines[0] == "911" and "988" in lines and lines[-1] == helpline(), lines
    assert payloads(replies) == {}
    # A response alone: no custom action, so nothing waits on the action server.
    assert actions_of(assistant, sender)[-2:] == ["utter_call_helpline", "action_listen"]


def test_a_spanish_conversation_gets_the_spanish_reply(assistant: Assistant):
    sender = "call-helpline-spanish"
    first = assistant.say(sender, "mi hijo no respira y tiene los labios azules")
    assert handoffs(first) == [{"handoff": True, "reason": "overdose"}]
    replies = assistant.say(sender, "/call_helpline")
    assert texts(replies).startswith(OPENINGS["es"])
    assert handoffs(replies) == [HANDOFF]


def test_the_intent_is_the_buttons_only(assistant: Assistant):
    # No training examples: typed, "call the helpline" is read as before (the
    # curated answer on reaching the helpline), and its reply names the helpline.
    assert assistant.parse("call the helpline")["intent"]["name"] != "call_helpline"
    assert helpline() in texts(assistant.say("typed-call-the-helpline", "call the helpline"))


def test_by_sms_it_names_911_first_and_1_asks_for_a_call_back(servers: Servers):
    # What an SMS menu's "Call the helpline" choice sends (channels/sms/handling.py).
    phone = "+15085550193"
    reply = sms_client.text(servers, phone, "/call_helpline") or ""
    assert reply.startswith(OPENINGS["en"]), reply
    assert LINES.findall(reply) == ["911", "988", helpline()]
    assert reply.endswith("Can't talk now?\n1 Ask for a call back"), reply
    # "1" is the call back, as CALL: these servers keep no numbers (no
    # CALLBACK_KEY), so the person is given the helpline instead.
    reply = sms_client.text(servers, phone, "1") or ""
    assert "call-back" in reply and helpline() in reply, reply
    assert "Reply 1" not in reply


def test_by_sms_talk_to_a_person_still_offers_only_the_call_back(servers: Servers):
    # On SMS the menu's "Talk to a person" names the helpline in its text; its
    # one choice, "1", asks for a call back (the channel cannot dial a choice).
    phone = "+15085550194"
    sms_client.text(servers, phone, "menu")
    reply = sms_client.text(servers, phone, "7") or ""
    assert LINES.findall(reply)[0] == "911" and helpline() in reply
    assert reply.endswith("Can't talk now?\n1 Ask for a call back"), reply
