"""Call-back requests with no action server at all (the trained model in this process).

No form starts that could not finish: /request_callback runs
action_start_callback, which cannot run, and nothing more; the channels'
never-silent reply then names the helpline (tests/dialogue/test_callback_form.py
checks that over REST). "Talk to a person" still offers both paths, by
responses alone.
"""

from rasa.shared.core.events import ActionExecuted, BotUttered

from center.facts import helpline
from tests.replies import texts
from tools.in_process import Assistant


def test_talk_to_a_person_offers_a_call_back_without_the_action_server(assistant: Assistant):
    replies = assistant.say("no-actions-offer", "talk to a person")
    assert [r["custom"] for r in replies if "custom" in r] == [{"handoff": True, "reason": "human"}]
    assert helpline() in texts(replies)
    buttons = [b["payload"] for r in replies for b in r.get("buttons") or []]
    assert buttons == ["/call_helpline", "/request_callback"]


def test_a_call_back_request_starts_no_form_without_the_action_server(assistant: Assistant):
    sender = "no-actions-callback"
    assert assistant.say(sender, "/request_callback") == []
    events = list(assistant.tracker(sender).events)
    actions = [e.action_name for e in events if isinstance(e, ActionExecuted)]
    assert actions[-2:] == ["action_start_callback", "action_listen"]
    assert not any(isinstance(e, BotUttered) for e in events)
    assert assistant.tracker(sender).active_loop_name is None
