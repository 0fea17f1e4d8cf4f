"""Reaching a person through the widget in Chromium: call now, or ask for a call back.

"Talk to a person" offers "Call the helpline", a tel: link (its payload is
/call_helpline: the widget dials it without reading its title), and "Ask for
a call back", which starts the call-back form. A visitor answers every
question through the widget: the name typed, the number typed, the time, the
voicemail and text choices picked from its buttons. Then:

- the confirmation is in the widget;
- the request is in the call-back queue (storage/callbacks.py), read back
  with the key of the servers this module starts (CALLBACK_KEY set);
- the number is in none of the servers' files: the tracker database (the
  conversation holds "[phone]"; the queue's copy is encrypted), the handoff
  and opt-out databases, and the Rasa and action servers' logs.

An urgent message typed in the middle of the form gets the 911 handoff in the
widget (the urgent banner, 911 first), and the form asks nothing more;
/call_helpline there gets the helpline, and the form asks its question again.

The servers are a Rasa server and an action server of their own
(tools/local_servers.py), on one SQLite database (BOT_DB_URL) that holds both
the conversations and the queue, with a call-back key; no mail server (requests
are only queued, as without SMTP_URL). The browser fixtures are the widget
tests' own (tests/widget/conftest.py).
"""

import re
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import expect

from actions.submit_callback import confirmation
from center.facts import helpline, helpline_tel
from storage.callbacks import CallbackQueue
from tests.replies import domain_text
from tests.stored import user_texts
from tests.waiting import wait_until
from tests.widget.conftest import Widget
from tools.local_servers import Servers, start_servers

KEY = Fernet.generate_key().decode()
HELPLINE_LINK = "tel:" + helpline_tel()
NAME = "Dana"
NUMBER = "617 555 0148"
# Every way the number could have been written down.
NUMBER_SPELLINGS = ["6175550148", "617 555 0148", "617-555-0148", "(617) 555-0148", "555 0148"]
E164 = "+16175550148"


@pytest.fixture(scope="module")
def servers(model_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """This module's servers, with call-backs on (the `widget` fixture uses them)."""
    workdir = tmp_path_factory.mktemp("widget-callback-servers")
    db = workdir / "conversations.db"
    env = {"BOT_DB_URL": f"sqlite:///{db}", "CALLBACK_KEY": KEY}
    running = start_servers(model_path, workdir, env=env, db=db)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def queue(servers: Servers) -> Iterator[CallbackQueue]:
    opened = CallbackQueue(f"sqlite:///{servers.db}", [KEY.encode()])
    yield opened
    opened.close()


def conversation_id(widget: Widget) -> str:
    """The tracker's sender id of the widget's conversation (its signed session id's id)."""
    return widget.stored()["sessionId"].split(".")[0]


def start_the_form(widget: Widget) -> None:
    """From the greeting: "Talk to a person", then "Ask for a call back"."""
    widget.open_and_wait_for_greeting()
    widget.choose("Talk to a person")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_request_human"))
    replies = widget.page.locator(".replies")
    # "Call the helpline" dials; "Ask for a call back" is a button that sends.
    call = replies.get_by_role("link", name="Call the helpline")
    expect(call).to_have_attribute("href", HELPLINE_LINK)
    expect(replies.get_by_role("button", name="Call the helpline")).to_have_count(0)
    expect(widget.quick_replies).to_have_text(["Ask for a call back"])
    widget.choose("Ask for a call back")
    expect(widget.log).to_contain_text(domain_text("utter_callback_consent"))
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_ask_callback_name"))


def test_a_call_back_request_made_through_the_widget(widget: Widget, servers: Servers, queue):
    start_the_form(widget)
    expect(widget.quick_replies).to_have_text(["Skip"])
    widget.say(NAME)
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_ask_callback_number_held"))
    widget.say(NUMBER)
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_ask_callback_window"))
    expect(widget.quick_replies).to_have_text(
        [
            "As soon as possible",
            "Later today",
            "Tomorrow morning",
            "Tomorrow afternoon",
            "Tomorrow evening",
        ]
    )
    widget.choose("Tomorrow evening")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_ask_callback_voicemail"))
    widget.choose("No")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_ask_callback_text_ok"))
    widget.choose("Yes")

    # (a) The confirmation, in the widget.
    expected = confirmation(NAME, "tomorrow_evening", voicemail=False, text_ok=True)
    expect(widget.bot_messages.last).to_have_text(expected)
    assert "tomorrow evening" in expected and helpline() in expected
    expect(widget.quick_replies).to_have_count(0)

    # (b) The request, in the queue, as the widget's channel took it.
    requests_made = [r for r in queue.open_requests() if r.name == NAME]
    assert len(requests_made) == 1
    [request] = requests_made
    assert (request.phone, request.window, request.voicemail, request.text_ok) == (
        E164,
        "tomorrow_evening",
        False,
        True,
    )
    assert request.channel == "webchat"
    sender = conversation_id(widget)
    assert not queue.has_held_number(sender), "submitted: no longer joined to the conversation"

    # (c) The number: "[phone]" in the conversation, and in no file of the servers.
    # Rasa writes the tracker just after it sends the reply: wait for it.
    assert wait_until(lambda: "[phone]" in user_texts(servers.db, sender)), user_texts(
        servers.db, sender
    )
    assert user_texts(servers.db, sender)[-1] == "/affirm"  # the last answer, "Yes"
    assert_number_nowhere(servers)


def test_an_urgent_message_in_the_form_gets_the_911_handoff_in_the_widget(widget: Widget):
    start_the_form(widget)
    widget.say("Sam")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_ask_callback_number_held"))

    widget.say("my friend is not breathing")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_urgent_overdose"))
    # The urgent banner, not the calm one "Talk to a person" showed: 911 first.
    expect(widget.banner).to_be_visible()
    expect(widget.banner).not_to_have_class(re.compile(r"\bcalm\b"))
    expect(widget.banner).to_contain_text("Emergency: call 911 now.")
    assert widget.banner_links() == ["tel:911", HELPLINE_LINK]

    # The form asks nothing more: the next message is a new turn, not an answer.
    widget.say("hi")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_menu"))
    log = widget.log.inner_text()
    after = log[log.rindex("not breathing") :]
    assert "What number should we call?" not in after


def test_call_the_helpline_in_the_form_gives_the_helpline_then_the_question_again(
    widget: Widget,
):
    start_the_form(widget)
    widget.say("Sam")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_ask_callback_number_held"))
    answered = widget.bot_messages.count()
    # The button's payload, typed (its button dials instead of sending it).
    widget.say("/call_helpline")
    # Never read as an answer: the helpline (911 first), then the same question.
    expect(widget.bot_messages).to_have_count(answered + 2)
    expect(widget.bot_messages.nth(answered)).to_have_text(domain_text("utter_call_helpline"))
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_ask_callback_number_held"))
    widget.say("cancel")
    expect(widget.bot_messages.last).to_have_text(domain_text("utter_callback_cancelled"))


def assert_number_nowhere(servers: Servers) -> None:
    """Not in any file the servers wrote: databases (the queue's copy is
    encrypted, the conversation's redacted), their journals, the logs."""
    folder = servers.log.parent
    written = sorted(path for path in folder.rglob("*") if path.is_file())
    names = {path.name for path in written}
    assert {servers.db.name, servers.log.name, "actions.log"} <= names, names
    for path in written:
        content = path.read_bytes().decode("latin-1")
        for spelling in NUMBER_SPELLINGS + [E164]:
            assert spelling not in content, f"{spelling!r} in {path.name}"
