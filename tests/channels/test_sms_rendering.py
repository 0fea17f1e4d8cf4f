"""How replies read on a phone: rendering, segments and keywords, without a server."""

import asyncio
import re

import pytest
import yaml

from center.sources import SOURCES
from channels.sms import rendering
from channels.sms.handling import Keyword, keyword
from channels.sms.rendering import SmsReplies, twiml
from safety.categories import CATEGORIES
from tools.content import ROOT, fill, load_topics

MAIN_MENU = [
    {"title": "Detox and withdrawal", "payload": "/menu_detox"},
    {"title": "Medications (MAT)", "payload": "/menu_mat"},
    {"title": "Therapy", "payload": "/menu_therapy"},
    {"title": "Aftercare", "payload": "/menu_aftercare"},
    {"title": "Talk to a person", "payload": "/request_human"},
]


def sms_responses() -> dict[str, dict]:
    """Every response as the SMS channel picks it: the twilio variant, else the default."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    responses.update({f"utter_faq/{t.id}": t.variants for t in load_topics().values()})
    return {
        name: next((v for v in variants if v.get("channel") == "twilio"), variants[0])
        for name, variants in responses.items()
    }


SMS_RESPONSES = sms_responses()
# What the sources action fills in (actions/show_sources.py), for one source.
ACTION_VALUES = {"{sources}": f"- {SOURCES['nida']}", "{last_reviewed}": "2026-11-28"}


def as_sent(response: dict) -> str:
    text = fill(response.get("text") or "")
    for placeholder, value in ACTION_VALUES.items():
        text = text.replace(placeholder, value)
    return rendering.render_message({**response, "text": text})


def test_buttons_become_one_numbered_line():
    assert rendering.choices_line(MAIN_MENU) == (
        "Reply 1 for Detox and withdrawal, 2 for Medications, 3 for Therapy, "
        "4 for Aftercare, 5 to talk to a person"
    )


@pytest.mark.parametrize(
    ("title", "choice"),
    [
        ("What is detox?", "1 for What is detox"),
        ("Buprenorphine (Suboxone)", "1 for Buprenorphine (Suboxone)"),
        ("Myths about MAT", "1 for Myths about MAT"),
        ("Show the topics", "1 to show the topics"),
        ("**Relapse**", "1 for Relapse"),
    ],
)
def test_button_titles(title: str, choice: str):
    assert rendering.choice(1, title) == choice


def test_a_message_is_its_text_then_its_choices():
    message = {"text": "Pick a topic:", "buttons": MAIN_MENU[:2]}
    assert rendering.render_message(message) == (
        "Pick a topic:\nReply 1 for Detox and withdrawal, 2 for Medications"
    )


def test_custom_payloads_are_dropped():
    message = {"text": "Call 911 now.", "custom": {"handoff": True, "reason": "overdose"}}
    assert rendering.render_message(message) == "Call 911 now."
    assert rendering.render_message({"custom": {"handoff": True}}) == ""


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("**Call 911** now", "Call 911 now"),
        ("see [SAMHSA](https://www.samhsa.gov)", "see SAMHSA: https://www.samhsa.gov"),
        ("*really* and _truly_ `this`", "really and truly this"),
        ("## Heading\n\n* one\n* two", "Heading\n- one\n- two"),
        ("give another dose after 2-3 minutes", "give another dose after 2-3 minutes"),
        ("a snake_case_word and 5 * 3", "a snake_case_word and 5 * 3"),
        ("it\u2019s \u201cfine\u201d \u2014 really\u2026", 'it\'s "fine" - really...'),
        ("nuestra línea, quédese, español", "nuestra linea, quédese, español"),
        ("  two   spaces \n\n\n and lines ", "two spaces\nand lines"),
    ],
)
def test_plain_text(text: str, plain: str):
    assert rendering.plain_text(text) == plain


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("\u20ac" * 80, 1),  # the euro sign takes two of the 160
        ("\u20ac" * 81, 2),
        ("\u00e9\u00f1" * 80, 1),  # in the GSM alphabet
        ("\u00e1" * 70, 1),  # not: UCS-2
        ("\u00e1" * 71, 2),
        ("a" * 132 + "\U0001f600", 2),  # an emoji is two UTF-16 units
        ("a" * 133 + "\U0001f600", 3),
    ],
)
def test_segments(text: str, count: int):
    assert rendering.segment_count(text) == count


# An urgent handoff has one variant on every channel and keeps all that keeps a
# person alive (rescue breaths, a second naloxone dose...): it may take up to
# four segments, which the phone shows as one message.
URGENT_RESPONSES = {category.response for category in CATEGORIES}
URGENT_MAX_SEGMENTS = 4


@pytest.mark.parametrize("name", sorted(SMS_RESPONSES))
def test_every_response_fits_two_gsm_segments_without_markup(name: str):
    text = as_sent(SMS_RESPONSES[name])
    assert rendering.is_gsm(text)
    limit = URGENT_MAX_SEGMENTS if name in URGENT_RESPONSES else rendering.SEGMENT_TARGET
    assert rendering.segment_count(text) <= limit
    assert not re.search(r"[*`#{}]|\]\(|handoff", text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(w, Keyword.OPT_OUT) for w in ["STOP", "stop", " Stop. ", "STOPALL", "unsubscribe"]],
        *[(w, Keyword.OPT_OUT) for w in ["Cancel", "END", "quit!"]],
        *[(w, Keyword.OPT_OUT) for w in ["REVOKE", "optout", "Opt  out"]],
        *[(w, Keyword.OPT_IN) for w in ["START", "unstop"]],
        ("Yes!", Keyword.YES),
        *[(w, Keyword.HELP) for w in ["HELP", "info"]],
        ("menu", Keyword.MENU),
        ("stop texting me", None),
        ("I want to end it", None),
        ("quit heroin", None),
        ("stop, he's not breathing", None),
        ("2", None),
    ],
)
def test_keywords_are_whole_messages(text: str, expected: Keyword | None):
    assert keyword(text) is expected


async def _collect(messages: list[dict]) -> str:
    replies = SmsReplies()
    for message in messages:
        await replies.send_response("sms-x", message)
    return replies.text()


def test_one_turn_is_one_sms_and_its_twiml():
    text = asyncio.run(
        _collect(
            [
                {"text": "Hi & welcome <3", "utter_action": "utter_greet"},
                {"text": "Pick:", "buttons": MAIN_MENU[:1], "utter_action": "utter_menu"},
                {"custom": {"handoff": True}},
            ]
        )
    )
    assert text == "Hi & welcome <3\nPick:\nReply 1 for Detox and withdrawal"
    assert SmsReplies.name() == "twilio"
    assert twiml(text) == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>'
        "Hi &amp; welcome &lt;3\nPick:\nReply 1 for Detox and withdrawal</Message></Response>"
    )
    assert "<Message" not in twiml(None)
