"""The call-back actions with rasa_sdk's dispatcher and tracker, and a queue in a temp database.

The number goes to the queue and never into a slot, an event or a reply; the
answers are read the way people type them; the confirmation says when the call
comes and mentions hours only where the center has filled them in.
"""

import asyncio
import json
import re

import pytest
import textstat
from cryptography.fernet import Fernet
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import submit_callback
from actions.read_callback_answer import (
    ActionReadCallbackAnswer,
    read_name,
    read_window,
    read_yes_no,
)
from actions.start_callback import ActionStartCallback
from actions.submit_callback import ActionSubmitCallback, confirmation
from channels.sms import rendering
from storage import callbacks
from storage.callbacks import CallbackQueue

SENDER = "web-callback-test"


@pytest.fixture
def queue(tmp_path, monkeypatch) -> CallbackQueue:
    """The queue the actions find through the environment, in a temp database."""
    monkeypatch.setenv("BOT_DB_URL", f"sqlite:///{tmp_path / 'conversations.db'}")
    monkeypatch.setenv("CALLBACK_KEY", Fernet.generate_key().decode())
    monkeypatch.delenv("SMTP_URL", raising=False)
    callbacks._queue_for.cache_clear()
    yield CallbackQueue.from_environment()
    callbacks._queue_for.cache_clear()


def tracker(
    text: str, intent: str, requested: str | None, channel: str = "rest", **slots
) -> Tracker:
    return Tracker(
        sender_id=SENDER,
        slots={"requested_slot": requested, **slots},
        latest_message={"intent": {"name": intent}, "text": text},
        events=[{"event": "user", "text": text, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={"name": "callback_form"},
        latest_action_name="action_listen",
    )


def run(action, tracker_: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return events, dispatcher.messages


def slots_set(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


# --- reading answers as people type them ---


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jen", "Jen"),
        ("jen", "Jen"),
        ("its jen", "Jen"),
        ("my name is Rob", "Rob"),
        ("call me T", "T"),
        ("Mary Jo", "Mary Jo"),
        ("ask for D.", "D"),
        ("José", "José"),
        ("skip", ""),
        ("rather not", ""),
        ("no", ""),
        ("yes", None),
        ("im at work", None),
        ("what is methadone", None),
        ("jen 508", None),
        ("jen@example.com", None),
    ],
)
def test_names(text, name):
    assert read_name(text) == name


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("asap", "now"),
        ("right now is good", "now"),
        ("whenever", "now"),
        ("later today", "today"),
        ("tonight after 8", "today"),
        ("this aft", "today"),
        ("not now, later", "today"),
        ("tmrw am", "tomorrow_morning"),
        ("Tomorrow morning pls", "tomorrow_morning"),
        ("in the morning", "tomorrow_morning"),
        ("2morrow after lunch", "tomorrow_afternoon"),
        ("tomorrow after work", "tomorrow_evening"),
        ("tmrw nite", "tomorrow_evening"),
        ("tomorrow", None),
        ("not now", None),
        ("whatever works for you guys", None),
        # Spanish, with and without accents
        ("ahorita", "now"),
        ("lo antes posible", "now"),
        ("hoy mas tarde", "today"),
        ("esta noche despues de las 8", "today"),
        ("ahora no, más tarde", "today"),
        ("mañana en la mañana", "tomorrow_morning"),
        ("manana temprano", "tomorrow_morning"),
        ("en la mañana", "tomorrow_morning"),
        ("mañana por la tarde", "tomorrow_afternoon"),
        ("mañana a la hora del almuerzo", "tomorrow_afternoon"),
        ("manana en la noche", "tomorrow_evening"),
        ("mañana después del trabajo", "tomorrow_evening"),
        ("mañana", None),
        ("ahora no", None),
        ("esta mañana", None),
    ],
)
def test_windows(text, window):
    assert read_window(text) == window


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", True),
        ("Y", True),
        ("ya sure", True),
        ("thats fine", True),
        ("no problem", True),
        ("ok!", True),
        ("no", False),
        ("N", False),
        ("nah", False),
        ("don't", False),
        ("no, my mom checks my phone", False),
        ("maybe", None),
        ("what?", None),
    ],
)
def test_yes_and_no(text, answer):
    assert read_yes_no(text) == answer


# --- the number: held in the queue, never in a slot ---


def test_a_typed_number_goes_to_the_queue_and_only_a_boolean_to_the_tracker(queue):
    events, messages = run(
        ActionReadCallbackAnswer(),
        tracker("my cell is 508 555 0134", "give_name", "callback_number_held"),
    )
    assert slots_set(events) == {"callback_number_held": True, "callback_hint": None}
    assert messages == []
    assert queue.has_held_number(SENDER)
    assert not re.search(r"555|0134", json.dumps(events))
    queue.submit(SENDER, "", "now", False, False)
    assert [r.phone for r in queue.open_requests()] == ["+15085550134"]


@pytest.mark.parametrize("text", ["555", "my number is 508 55", "idk my number"])
def test_an_unreadable_number_gets_a_hint_and_is_asked_again(queue, text):
    events, messages = run(
        ActionReadCallbackAnswer(), tracker(text, "nlu_fallback", "callback_number_held")
    )
    # Asked again with a hint, which never repeats what was typed.
    assert slots_set(events) == {
        "callback_number_held": None,
        "callback_hint": "callback_number_held",
    }
    assert messages == []
    assert not queue.has_held_number(SENDER)


def test_a_number_given_for_the_name_is_taken_as_the_number(queue):
    events, _ = run(
        ActionReadCallbackAnswer(), tracker("jen 617-555-0199", "give_name", "callback_name")
    )
    assert slots_set(events) == {
        "callback_number_held": True,
        "callback_name": "Jen",
        "callback_hint": None,
    }
    assert queue.has_held_number(SENDER)


def test_without_a_key_a_number_is_not_taken(queue, monkeypatch):
    monkeypatch.delenv("CALLBACK_KEY")
    callbacks._queue_for.cache_clear()
    events, messages = run(
        ActionReadCallbackAnswer(), tracker("508 555 0134", "give_name", "callback_number_held")
    )
    assert slots_set(events) == {"callback_number_held": None, "callback_hint": "no_numbers_taken"}


def test_skip_button_skips_the_name(queue):
    events, messages = run(ActionReadCallbackAnswer(), tracker("/deny", "deny", "callback_name"))
    assert slots_set(events) == {"callback_name": "", "callback_hint": None} and messages == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("/faq/mat_methadone", "faq"),
        ("what is suboxone", "faq"),
        ("where is that from", "ask_sources"),
        ("/request_human", "request_human"),
        ("/restart", "restart"),
    ],
)
def test_another_request_is_left_to_its_own_rule(queue, text, intent):
    for slot in ("callback_name", "callback_number_held", "callback_window"):
        events, messages = run(ActionReadCallbackAnswer(), tracker(text, intent, slot))
        # No answer (the form then declines the message), and no hint.
        assert slot not in slots_set(events) and messages == []
        assert slots_set(events).get("callback_hint") is None


def test_typed_time_and_yes_no_answers(queue):
    events, _ = run(
        ActionReadCallbackAnswer(), tracker("after lunch tmrw", "nlu_fallback", "callback_window")
    )
    assert slots_set(events) == {"callback_window": "tomorrow_afternoon", "callback_hint": None}
    events, _ = run(ActionReadCallbackAnswer(), tracker("nope", "nlu_fallback", "callback_text_ok"))
    assert slots_set(events) == {"callback_text_ok": False, "callback_hint": None}
    events, messages = run(
        ActionReadCallbackAnswer(), tracker("hmm", "nlu_fallback", "callback_voicemail")
    )
    assert slots_set(events) == {"callback_voicemail": None, "callback_hint": "callback_voicemail"}
    assert messages == []


# --- starting: the key, SMS ---


def followups(events: list[dict]) -> list[str]:
    return [e["name"] for e in events if e["event"] == "followup"]


def test_start_without_a_key_gives_the_helpline_and_no_form(queue, monkeypatch):
    monkeypatch.delenv("CALLBACK_KEY")
    callbacks._queue_for.cache_clear()
    events, messages = run(
        ActionStartCallback(), tracker("/request_callback", "request_callback", None)
    )
    assert [m["response"] for m in messages] == ["utter_callback_unavailable"]
    assert followups(events) == []


def test_start_with_a_database_that_does_not_answer_gives_the_helpline(queue, monkeypatch):
    monkeypatch.setenv("BOT_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    callbacks._queue_for.cache_clear()
    events, messages = run(
        ActionStartCallback(), tracker("/request_callback", "request_callback", None)
    )
    assert [m["response"] for m in messages] == ["utter_callback_unavailable"]
    assert followups(events) == []


def test_start_forgets_a_number_left_from_an_unfinished_request(queue):
    queue.hold_number(SENDER, "508-555-0134", "rest")
    events, messages = run(
        ActionStartCallback(), tracker("/request_callback", "request_callback", None)
    )
    assert followups(events) == ["utter_callback_consent"] and messages == []
    assert slots_set(events)["callback_number_held"] is None
    assert not queue.has_held_number(SENDER)


def test_on_sms_the_number_the_channel_held_is_used(queue):
    queue.hold_number(SENDER, "+15085550134", "twilio")
    events, _ = run(
        ActionStartCallback(),
        tracker("/request_callback", "request_callback", None, channel="twilio"),
    )
    assert slots_set(events)["callback_number_held"] is True
    assert queue.has_held_number(SENDER)


# --- submitting and confirming ---


def test_submit_saves_the_request_and_confirms_it(queue):
    queue.hold_number(SENDER, "508-555-0134", "rest")
    slots = {
        "callback_name": "Jen",
        "callback_window": "tomorrow_evening",
        "callback_voicemail": False,
        "callback_text_ok": True,
    }
    events, messages = run(ActionSubmitCallback(), tracker("no", "deny", None, **slots))
    [request] = queue.open_requests()
    assert (request.name, request.window, request.voicemail, request.text_ok) == (
        "Jen",
        "tomorrow_evening",
        False,
        True,
    )
    [reply] = messages
    assert "saved" in reply["text"] and "tomorrow evening" in reply["text"]
    assert all(value is None for value in slots_set(events).values())


def test_submit_without_a_number_says_it_was_not_saved(queue):
    _, messages = run(ActionSubmitCallback(), tracker("yes", "affirm", None, callback_window="now"))
    assert [m["response"] for m in messages] == ["utter_callback_not_saved"]


HOURS_WORDS = re.compile(r"\bhours?\b|24/7|\bopen\b|answered", re.IGNORECASE)


@pytest.mark.parametrize("window", callbacks.WINDOWS)
def test_without_hours_filled_in_the_confirmation_says_nothing_of_hours(window):
    text = confirmation("Jen", window, True, False)
    assert not HOURS_WORDS.search(text) and "{" not in text


def test_filled_in_hours_are_said(monkeypatch):
    monkeypatch.setattr(submit_callback, "center_hours", lambda: "Monday to Friday, 9 to 5")
    monkeypatch.setattr(submit_callback, "helpline_hours", lambda: "24/7")
    text = confirmation("", "now", False, False)
    assert "during our hours: Monday to Friday, 9 to 5." in text
    assert "Our helpline is answered 24/7." in text


@pytest.mark.parametrize("voicemail", [True, False])
@pytest.mark.parametrize("text_ok", [True, False])
@pytest.mark.parametrize("window", callbacks.WINDOWS)
def test_the_confirmation_reads_easily_and_fits_two_texts(window, voicemail, text_ok):
    text = confirmation("Mary Jo", window, voicemail, text_ok)
    assert textstat.flesch_kincaid_grade(text) <= 8, text
    assert rendering.is_gsm(text) and rendering.segment_count(text) <= 2, text
    assert "911" in text


# --- a check-in (risk unclear) inside the form ---


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("no", "callback_voicemail", False),
        ("No.", "callback_text_ok", False),
        ("Y", "callback_text_ok", True),
        ("rn", "callback_window", "now"),
        ("tonight", "callback_window", "today"),
        ("Jen", "callback_name", "Jen"),
    ],
)
def test_a_bare_answer_the_safety_check_found_unclear_is_taken(queue, text, slot, value):
    events, messages = run(ActionReadCallbackAnswer(), tracker(text, "check_in", slot))
    assert slots_set(events) == {slot: value, "callback_hint": None} and messages == []


@pytest.mark.parametrize(
    "text", ["508-555-0134", "my cell # is 508 555 0134", "call me at 5085550134"]
)
def test_a_number_the_safety_check_found_unclear_is_taken(queue, text):
    events, _ = run(ActionReadCallbackAnswer(), tracker(text, "check_in", "callback_number_held"))
    assert slots_set(events) == {"callback_number_held": True, "callback_hint": None}
    assert queue.has_held_number(SENDER)


def test_a_mistyped_number_the_safety_check_found_unclear_is_asked_again(queue):
    events, _ = run(
        ActionReadCallbackAnswer(), tracker("508 55", "check_in", "callback_number_held")
    )
    assert slots_set(events) == {
        "callback_number_held": None,
        "callback_hint": "callback_number_held",
    }


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("no, i dont care anymore", "callback_voicemail"),
        ("yes whatever nothing matters", "callback_text_ok"),
        ("tonight is when i end it", "callback_window"),
        ("i dont know who i am anymore", "callback_name"),
        ("508 555 0134 i cant do this anymore", "callback_number_held"),
        ("/check_in", "callback_voicemail"),
    ],
)
def test_anything_more_is_left_to_the_check_in(queue, text, slot):
    assert run(ActionReadCallbackAnswer(), tracker(text, "check_in", slot)) == ([], [])
    assert not queue.has_held_number(SENDER)
