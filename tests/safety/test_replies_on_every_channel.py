"""Every urgent category and the check-in, over REST, the widget and SMS, with no action server.

The replies are responses alone (data/rules/urgent.yml), so they must come
whole when the action server is down; each names its emergency line first.
The clinical points a person's life may hang on are checked in the reply as
each channel delivers it: rescue breaths and a second naloxone dose for an
overdose, 911 for a seizure in withdrawal, and the safer-use steps for someone
about to use.
"""

import itertools
import uuid
from collections.abc import Callable, Iterator

import pytest
import requests

from center.facts import helpline
from safety.categories import BY_NAME
from tests.channels import sms_client as twilio
from tests.replies import LINES, texts
from tools.local_servers import Servers, start_servers
from tools.widget_client import WidgetClient

# (message, category or "check_in", what the reply must say besides the lines)
MESSAGES = [
    (
        "my friend is not breathing and his lips are blue",
        "overdose",
        ["rescue breaths", "another dose", "naloxone"],
    ),
    ("my dad is detoxing and he just had a seizure on the kitchen floor", "medical", ["seizure"]),
    ("i have all the pills lined up on the table, just deciding", "suicide", ["move away"]),
    ("my ex is outside my door with a knife and says he will kill me", "danger", []),
    (
        "im outside the spot, spoon and cotton out, about to use",
        "about_to_use",
        ["use alone", "naloxone", "test strips"],
    ),
    ("this is an emergency, i need a real person right now", "person_now", []),
    ("things are really dark right now", "check_in", ["safe"]),
]
# Fictional numbers (555-0140 to 555-0169), one per conversation.
PHONES = (f"+150855501{n:02d}" for n in itertools.count(40))


@pytest.fixture(scope="module")
def servers_without_actions(model_path: str, tmp_path_factory) -> Iterator[Servers]:
    running = start_servers(model_path, tmp_path_factory.mktemp("no-actions"), with_actions=False)
    yield running
    running.stop()


def over_rest(servers: Servers, message: str) -> tuple[str, list[dict]]:
    replies = requests.post(
        servers.url + "/webhooks/rest/webhook",
        json={"sender": f"every-channel-{uuid.uuid4().hex[:8]}", "message": message},
        timeout=30,
    ).json()
    return texts(replies), [r["custom"] for r in replies if "custom" in r]


def over_widget(servers: Servers, message: str) -> tuple[str, list[dict]]:
    widget = WidgetClient(servers.url)
    try:
        widget.start_session()
        reply = widget.say(message)
    finally:
        widget.close()
    return reply.get("text") or "", [reply["custom"]] if "custom" in reply else []


def over_sms(servers: Servers, message: str) -> tuple[str, list[dict]]:
    # SMS drops payloads: the text is what a phone shows.
    return twilio.text(servers, next(PHONES), message) or "", []


CHANNELS: dict[str, Callable[[Servers, str], tuple[str, list[dict]]]] = {
    "rest": over_rest,
    "widget": over_widget,
    "sms": over_sms,
}


@pytest.mark.parametrize("channel", sorted(CHANNELS))
@pytest.mark.parametrize(("message", "kind", "must_say"), MESSAGES, ids=[m[1] for m in MESSAGES])
def test_urgent_and_check_in_replies_without_the_action_server(
    servers_without_actions: Servers, channel: str, message: str, kind: str, must_say: list[str]
):
    text, payloads = CHANNELS[channel](servers_without_actions, message)
    for words in must_say:
        assert words in text.lower(), f"{words!r} missing: {text}"
    lines = LINES.findall(text)
    if kind == "check_in":
        assert {"911", "988"} <= set(lines)
        if channel != "sms":
            assert payloads == [{"check_in": True, "reason": payloads[0]["reason"]}]
        return
    category = BY_NAME[kind]
    assert lines[0] == category.emergency_line, text
    assert helpline() in lines
    if channel != "sms":
        assert payloads == [{"handoff": True, "reason": category.reason}]
