"""Follow-ups are read with the previous topic; close calls ask "Did you mean A or B?"."""

import uuid

import pytest
import scipy.sparse as sp
import yaml
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from nlu_components.follow_up_model import FollowUpModel
from nlu_components.topic_context import (
    CHOOSE_TOPIC_INTENT,
    TopicContext,
    menu_titles,
    previous_topic,
    refers_back,
)
from tests.conftest import say
from tools.content import load_topics
from tools.in_process import ROOT

AREA = {
    "faq/mat_methadone": "mat",
    "faq/mat_duration": "mat",
    "faq/treatment_duration": "treatment",
}
# A follow-up model that has seen one conversation: "how long" after
# methadone is how long people take the medicine.
MODEL = FollowUpModel.train(
    AREA,
    [
        ("what is methadone", "faq/mat_methadone"),
        ("how does methadone work", "faq/mat_methadone"),
        ("how long do people take methadone", "faq/mat_duration"),
        ("how long do people stay on methadone", "faq/mat_duration"),
        ("how long does rehab last", "faq/treatment_duration"),
        ("how long is a stay in treatment", "faq/treatment_duration"),
    ],
    [
        {
            "first_topic": "faq/mat_methadone",
            "then": "how long do people stay on it",
            "topic": "faq/mat_duration",
        }
    ],
)


def component(**config) -> TopicContext:
    settings = TopicContext.get_default_config() | config
    state = {
        "area": AREA,
        "model": MODEL,
        "title": {
            "en": {
                "faq/mat_duration": "How long people take it",
                "faq/treatment_duration": "How long treatment lasts",
            },
            "es": {"faq/mat_duration": "Por cuánto tiempo se toman"},
        },
    }
    return TopicContext(settings, None, None, state)


def message(text: str, ranking: list[tuple[str, float]], intent: str = "faq") -> Message:
    top_key, top_confidence = ranking[0]
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": [{"name": intent, "confidence": 0.9}],
            "response_selector": {
                "faq": {
                    "response": {"intent_response_key": top_key, "confidence": top_confidence},
                    "ranking": [
                        {"intent_response_key": key, "confidence": confidence}
                        for key, confidence in ranking
                    ],
                }
            },
        }
    )


def conversation(*topics: str | None, language: str = "en") -> DialogueStateTracker:
    tracker = DialogueStateTracker("someone", [])
    for topic in topics:
        intent = (
            {"name": "faq", "full_retrieval_intent_name": topic} if topic else {"name": "greet"}
        )
        tracker.update(UserUttered("...", intent=intent, parse_data={"intent": intent}))
    return tracker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how long do people stay on it?", True),
        ("what about the shot?", True),
        ("and for teens", True),
        ("is that covered by insurance", True),
        ("what is methadone", False),
        ("how long does withdrawal last", False),
        (
            "my son has been on it for years and i want to know how long people usually stay on it "
            "before they taper, is there a rule?",
            False,
        ),
    ],
)
def test_a_follow_up_is_short_and_refers_back(text: str, expected: bool):
    assert refers_back(text, max_words=12) is expected


def test_the_previous_topic_is_the_latest_topic_of_the_last_two_messages():
    assert previous_topic(None) is None
    assert previous_topic(conversation("faq/mat_methadone")) == "faq/mat_methadone"
    assert previous_topic(conversation("faq/mat_methadone", None)) == "faq/mat_methadone"
    assert previous_topic(conversation("faq/mat_methadone", None, None)) is None


def test_a_follow_up_takes_the_topic_of_the_previous_area():
    # Alone, "how long" leans to treatment length; after methadone it is about the medicine.
    ranked = [("faq/treatment_duration", 0.45), ("faq/mat_duration", 0.35)]
    [read] = component().process(
        [message("how long do people stay on it?", ranked)], conversation("faq/mat_methadone")
    )
    assert read.get("intent")["name"] == "faq"
    assert (
        read.get("response_selector")["faq"]["response"]["utter_action"] == "utter_faq/mat_duration"
    )
    assert read.get("topic_context") == {
        "follow_up_of": "faq/mat_methadone",
        "topic": "faq/mat_duration",
    }


def test_a_follow_up_not_understood_alone_is_answered_when_it_refers_back():
    ranked = [("faq/treatment_duration", 0.3), ("faq/mat_duration", 0.25)]
    [read] = component().process(
        [message("how long do ppl stay on it", ranked, intent="nlu_fallback")],
        conversation("faq/mat_methadone"),
    )
    assert read.get("intent")["name"] == "faq"
    assert read.get("topic_context")["topic"] == "faq/mat_duration"


def test_a_message_not_understood_that_does_not_refer_back_gets_no_topic():
    # "what's the weather" after methadone is not about methadone.
    ranked = [("faq/mat_duration", 0.3), ("faq/treatment_duration", 0.25)]
    [read] = component().process(
        [message("whats the weather tomorrow", ranked, intent="out_of_scope")],
        conversation("faq/mat_methadone"),
    )
    assert read.get("intent")["name"] == "out_of_scope"
    assert read.get("topic_context") is None


def test_a_long_message_is_read_alone():
    ranked = [("faq/treatment_duration", 0.6), ("faq/mat_duration", 0.3)]
    text = (
        "my son has been in and out of programs for years and i want to know how long "
        "a stay usually lasts there"
    )
    [read] = component().process([message(text, ranked)], conversation("faq/mat_methadone"))
    assert read.get("topic_context") is None
    assert (
        read.get("response_selector")["faq"]["response"]["intent_response_key"]
        == "faq/treatment_duration"
    )


def test_a_follow_up_understood_as_something_else_keeps_its_reading():
    ranked = [("faq/mat_duration", 0.3), ("faq/treatment_duration", 0.2)]
    [read] = component().process(
        [message("where is that information from", ranked, intent="ask_sources")],
        conversation("faq/mat_methadone"),
    )
    assert read.get("intent")["name"] == "ask_sources"
    assert read.get("topic_context") is None


def test_without_a_conversation_nothing_is_a_follow_up():
    ranked = [("faq/treatment_duration", 0.9), ("faq/mat_duration", 0.05)]
    [read] = component().process([message("how long do people stay on it?", ranked)], None)
    assert (
        read.get("response_selector")["faq"]["response"]["intent_response_key"]
        == "faq/treatment_duration"
    )


def test_a_close_call_asks_which_topic_with_their_menu_titles():
    ranked = [
        ("faq/treatment_duration", 0.36),
        ("faq/mat_duration", 0.33),
        ("faq/mat_methadone", 0.1),
    ]
    [read] = component().process([message("how long is it", ranked)], None)
    assert read.get("intent")["name"] == CHOOSE_TOPIC_INTENT
    entities = {e["entity"]: e["value"] for e in read.get("entities")}
    assert entities == {
        "topic_choice_1": "treatment_duration",
        "topic_choice_1_title": "How long treatment lasts",
        "topic_choice_2": "mat_duration",
        "topic_choice_2_title": "How long people take it",
    }


def test_a_clear_winner_is_answered_without_asking():
    ranked = [("faq/treatment_duration", 0.7), ("faq/mat_duration", 0.2)]
    [read] = component().process([message("how long is rehab", ranked)], None)
    assert read.get("intent")["name"] == "faq"


def test_titles_come_from_the_menus_in_each_language():
    responses = {
        "utter_menu_mat": [
            {"text": "MAT", "buttons": [{"title": "Methadone", "payload": "/faq/mat_methadone"}]},
            {
                "condition": [{"type": "slot", "name": "language", "value": "es"}],
                "text": "MAT",
                "buttons": [{"title": "Metadona", "payload": "/faq/mat_methadone"}],
            },
        ],
        "utter_greet": [{"text": "hi", "buttons": [{"title": "Menu", "payload": "/show_menu"}]}],
    }
    assert menu_titles(responses) == {
        "en": {"faq/mat_methadone": "Methadone"},
        "es": {"faq/mat_methadone": "Metadona"},
    }


def test_every_topic_has_a_menu_title_in_english_and_spanish():
    """The close-call question names topics by their menu buttons: every topic is on a menu."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    titles = menu_titles(responses)
    topics = {f"faq/{topic}" for topic in load_topics()}
    assert topics - set(titles["en"]) == set()
    assert topics - set(titles["es"]) == set()


def test_a_follow_up_over_rest_gets_the_curated_answer_of_its_topic(servers):
    sender = f"follow-{uuid.uuid4().hex[:8]}"
    first = say(servers, sender, "what is methadone")
    then = say(servers, sender, "how long do people usually stay on it?")
    duration = say(servers, f"button-{uuid.uuid4().hex[:8]}", "/faq/mat_duration")
    assert first[0]["text"] != duration[0]["text"]
    assert then[0]["text"] == duration[0]["text"]


@pytest.mark.parametrize(
    ("text", "previous"),
    [("how long do people stay on it", "faq/mat_methadone"), ("what is methadone", None)],
)
def test_the_follow_up_models_shortcut_gives_its_classifiers_probabilities(text, previous):
    # probabilities() skips predict_proba's product with the whole weight matrix.
    features = sp.hstack(
        [MODEL._text.transform([text]), MODEL._context.transform([MODEL._context_of(previous)])]
    ).tocsr()
    classifier = MODEL._classifier
    expected = dict(zip(classifier.classes_, classifier.predict_proba(features)[0], strict=True))
    got = MODEL.probabilities(text, previous)
    assert got.keys() == expected.keys()
    assert all(abs(got[key] - expected[key]) < 1e-9 for key in expected)
