"""The Rasa server restarted on the same SQLite file, and its action server down.

One conversation per channel starts on a first server, which is stopped; a
second server on the same database carries it on. The second server comes
back without its action server: what needs none (urgent replies, curated
answers) works, and a custom action fails soft: the person gets a reply that
names the helpline instead of silence.
"""

from typing import Iterator

import pytest
import requests

from center.facts import helpline
from channels.never_silent import no_reply_text
from tests.channels.sms_client import conversation_id, menu_digit, text
from tests.conftest import say
from tests.replies import LINES, texts
from tests.stored import session_starts, user_intents
from tools.local_servers import Servers, start_servers
from tools.widget_client import WidgetClient

PHONE = "+15085550151"  # fictional (555-01xx)
MEDICATIONS = "3"  # Medications' place in the main SMS menu, checked before the restart
REST_SENDER = "restart-rest"


@pytest.fixture(scope="module")
def restarted(model_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    workdir = tmp_path_factory.mktemp("restart")
    db = workdir / "conversations.db"
    before = start_servers(model_path, workdir / "before", db=db, with_actions=False)
    try:
        assert menu_digit(text(before, PHONE, "hi"), "Medications") == MEDICATIONS
        assert "not a doctor" in texts(say(before, REST_SENDER, "hi"))
    finally:
        before.stop()
    after = start_servers(model_path, workdir / "after", db=db, with_actions=False)
    yield after
    after.stop()


def test_a_menu_digit_after_the_restart_picks_from_the_menu_sent_before(restarted: Servers):
    # The menu is read from the stored conversation, so only a kept one knows the digit.
    assert (text(restarted, PHONE, MEDICATIONS) or "").startswith("Medications (MAT)")
    assert user_intents(restarted.db, conversation_id(PHONE)) == ["greet", "menu_mat"]


def test_a_conversation_goes_on_in_the_same_session_after_the_restart(restarted: Servers):
    assert "Vivitrol" in texts(say(restarted, REST_SENDER, "/faq/mat_naltrexone"))
    assert user_intents(restarted.db, REST_SENDER) == ["greet", "faq"]
    assert session_starts(restarted.db, REST_SENDER) == 1


@pytest.mark.parametrize(
    ("message", "reason", "first_line"),
    [
        ("my friend is not breathing", "overdose", "911"),
        ("i want to kill myself", "suicide", "988"),
        # 911 first in case it is an emergency, then 988 and the helpline.
        ("talk to a person", "human", "911"),
    ],
)
def test_without_the_action_server_urgent_replies_come_first_with_their_handoff(
    restarted: Servers, message: str, reason: str, first_line: str
):
    replies = say(restarted, f"down-{reason}", message)
    assert [r["custom"] for r in replies if "custom" in r] == [{"handoff": True, "reason": reason}]
    assert LINES.findall(texts(replies))[0] == first_line
    sms = text(restarted, "+15085550152", message) or ""
    assert LINES.findall(sms)[0] == first_line
    widget = WidgetClient(restarted.url)
    try:
        widget.start_session()
        shown = widget.say(message)
    finally:
        widget.close()
    assert shown["custom"] == {"handoff": True, "reason": reason}
    assert LINES.findall(shown["text"])[0] == first_line


def test_without_the_action_server_curated_answers_and_the_menu_work(restarted: Servers):
    greeting = say(restarted, "down-browse", "hi")
    assert [b["payload"] for b in greeting[-1]["buttons"]][-1] == "/request_human"
    assert "Vivitrol" in texts(say(restarted, "down-browse", "/faq/mat_naltrexone"))


def test_without_the_action_server_a_custom_action_fails_soft(restarted: Servers):
    say(restarted, "down-sources", "/faq/mat_naltrexone")
    response = requests.post(
        restarted.url + "/webhooks/rest/webhook",
        json={"sender": "down-sources", "message": "where is that from"},
        timeout=30,
    )
    assert response.status_code == 200
    # Not silence: the channel says it cannot answer and names the helpline.
    assert response.json() == [{"recipient_id": "down-sources", "text": no_reply_text()}]
    assert helpline() in no_reply_text()
    sms = text(restarted, "+15085550153", "where is that from") or ""
    assert "answer that right now" in sms and helpline() in sms
    assert "Failed to run custom action 'action_show_sources'" in restarted.log.read_text()
    # ... and the server and the conversation go on.
    assert "911" in texts(say(restarted, "down-sources", "she is not breathing"))
    *_, asked, urgent = user_intents(restarted.db, "down-sources")
    assert asked == "ask_sources" and urgent.startswith("urgent_")
