"""action_show_sources with rasa_sdk's CollectingDispatcher and Tracker."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.show_sources import ActionShowSources
from center.sources import SOURCES


def tracker_with(events: list[dict]) -> Tracker:
    return Tracker(
        sender_id="test",
        slots={},
        latest_message={"intent": {"name": "ask_sources"}, "text": "where is that from"},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def bot(text: str, content: dict | None = None) -> dict:
    metadata = {"utter_action": "utter_faq/x"}
    if content is not None:
        metadata["metadata"] = content
    return {"event": "bot", "text": text, "data": {}, "metadata": metadata}


def run(events: list[dict]) -> list[dict]:
    dispatcher = CollectingDispatcher()
    assert ActionShowSources().run(dispatcher, tracker_with(events), domain={}) == []
    return dispatcher.messages


def test_names_the_full_titles_of_the_last_answers_sources():
    messages = run(
        [
            bot("older answer", {"sources": ["cdc"], "last_reviewed": "2026-01-02"}),
            {"event": "user", "text": "what is mat"},
            bot("MAT answer", {"sources": ["center", "samhsa"], "last_reviewed": "2026-11-28"}),
            {"event": "user", "text": "where is that from"},
        ]
    )
    assert len(messages) == 1
    assert messages[0]["response"] == "utter_sources_of_last_answer"
    assert messages[0]["sources"] == f"- {SOURCES['center']}\n- {SOURCES['samhsa']}"
    assert messages[0]["last_reviewed"] == "2026-11-28"


def test_skips_bot_messages_without_sources_such_as_menus():
    messages = run(
        [
            bot("detox answer", {"sources": ["nida"], "last_reviewed": "2026-11-28"}),
            bot("Pick a topic"),
        ]
    )
    assert messages[0]["sources"] == f"- {SOURCES['nida']}"


def test_without_a_curated_answer_yet_explains_where_answers_come_from():
    messages = run([bot("Hi, I'm the assistant")])
    assert messages == [
        {
            "text": None,
            "buttons": [],
            "elements": [],
            "custom": {},
            "template": "utter_sources_general",
            "response": "utter_sources_general",
            "image": None,
            "attachment": None,
        }
    ]
