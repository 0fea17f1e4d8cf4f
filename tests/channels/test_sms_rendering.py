"""How replies read on a phone: rendering, segments and keywords, without a server."""

import asyncio
import re

import pytest
import yaml

from center import facts
from center.facts import center_name, helpline
from center.sources import SOURCES
from channels.sms import rendering
from channels.sms.handling import Keyword, keyword
from channels.sms.rendering import SmsReplies, twiml
from safety.categories import CATEGORIES
from tests.content.replies import PER_MESSAGE
from tests.replies import LINES
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
# Slots filled from the message itself (the close call's two topics).
ACTION_VALUES |= {f"{{{slot}}}": value for slot, value in PER_MESSAGE.items()}


def filled(text: str) -> str:
    text = fill(text)
    for placeholder, value in ACTION_VALUES.items():
        text = text.replace(placeholder, value)
    return text


def as_sent(response: dict) -> str:
    buttons = [{**b, "title": filled(b.get("title", ""))} for b in response.get("buttons") or []]
    return rendering.render_message(
        {**response, "text": filled(response.get("text") or ""), "buttons": buttons}
    )


def test_buttons_become_one_choice_a_line():
    assert rendering.choices(MAIN_MENU).splitlines() == [
        "1 Detox and withdrawal",
        "2 Medications",
        "3 Therapy",
        "4 Aftercare",
        "5 Talk to a person",
    ]


@pytest.mark.parametrize(
    ("title", "choice"),
    [
        ("What is detox?", "1 What is detox?"),
        ("Buprenorphine (Suboxone)", "1 Buprenorphine (Suboxone)"),
        ("Myths about MAT", "1 Myths about MAT"),
        ("Show the topics", "1 Show the topics"),
        ("**Relapse**", "1 Relapse"),
        ("Two\nlines \u2013 one", "1 Two lines - one"),
    ],
)
def test_button_titles(title: str, choice: str):
    assert rendering.choice(1, title) == choice


def test_a_message_is_its_text_then_its_choices():
    message = {"text": "Pick a topic:", "buttons": MAIN_MENU[:2]}
    assert rendering.render_message(message) == (
        "Pick a topic:\n1 Detox and withdrawal\n2 Medications"
    )


MENUS = sorted(name for name, response in SMS_RESPONSES.items() if response.get("buttons"))


@pytest.mark.parametrize("name", MENUS)
def test_every_menu_is_one_choice_a_line_within_the_segment_target(name: str):
    response = SMS_RESPONSES[name]
    lines = as_sent(response).splitlines()
    buttons = response["buttons"]
    assert [line.split(" ", 1)[0] for line in lines[-len(buttons) :]] == [
        str(number) for number in range(1, len(buttons) + 1)
    ]
    assert not any(line[0].isdigit() for line in lines[: -len(buttons)])
    assert rendering.segment_count(as_sent(response)) <= rendering.SEGMENT_TARGET


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
        *[(w, Keyword.CALL) for w in ["CALL", "call", "Call me", "CALL ME!", "callback"]],
        *[(w, Keyword.CALL) for w in ["Call-back.", "call back", " call me back ", "call, me?"]],
        ("call me at 9", None),
        ("call 911", None),
        ("who do I call", None),
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
    assert text == "Hi & welcome <3\nPick:\n1 Detox and withdrawal"
    assert SmsReplies.name() == "twilio"
    assert twiml(text) == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>'
        "Hi &amp; welcome &lt;3\nPick:\n1 Detox and withdrawal</Message></Response>"
    )
    assert "<Message" not in twiml(None)


# --- curated answers end with "MENU for more" when it fits two segments ---


def curated(text: str, topic: str = "mat_methadone") -> dict:
    return {"text": text, "utter_action": f"utter_faq/{topic}"}


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("a" * 292, True),  # 292 + a newline + 13 = 306: two GSM segments
        ("a" * 293, False),
        ("\u0111" * 120, True),  # UCS-2 (a Vietnamese d): 120 + 14 = 134 = 2 x 67
        ("\u0111" * 121, False),
        ("a" * 140, True),  # one segment becomes two: still within the target
    ],
)
def test_a_curated_answer_ends_with_menu_for_more_only_within_two_segments(text, fits):
    sent = asyncio.run(_collect([curated(text)]))
    if fits:
        assert sent == text + "\nMENU for more"
        assert rendering.segment_count(sent) <= rendering.SEGMENT_TARGET
    else:
        assert sent == text


def test_menu_for_more_only_after_a_curated_answer():
    answer = curated("Methadone is a medication.")
    assert asyncio.run(_collect([answer])).endswith("\nMENU for more")
    assert asyncio.run(_collect([answer, {"custom": {"x": 1}}])).endswith("MENU for more")
    for turn in [
        [{"text": "Sorry, I didn't understand.", "utter_action": "utter_fallback"}],
        [answer, {"text": "Pick:", "buttons": MAIN_MENU[:2], "utter_action": "utter_menu"}],
        [{"text": "Hi", "utter_action": "utter_greet"}],
    ]:
        assert "MENU for more" not in asyncio.run(_collect(turn))


CURATED = sorted(name for name in SMS_RESPONSES if name.startswith("utter_faq/"))


@pytest.mark.parametrize("name", CURATED)
def test_every_curated_answer_as_sent_stays_within_two_segments(name: str):
    response = SMS_RESPONSES[name]
    sent = asyncio.run(_collect([{**response, "text": as_sent(response), "utter_action": name}]))
    assert rendering.segment_count(sent) <= rendering.SEGMENT_TARGET
    longer = as_sent(response) + "\nMENU for more"
    assert sent.endswith("MENU for more") == (
        rendering.segment_count(longer) <= rendering.SEGMENT_TARGET
    )


# --- the channel's own notices ---


def test_a_wrong_number_gets_the_menu_hint():
    assert rendering.wrong_number(5) == "Reply 1-5, or MENU"
    assert rendering.wrong_number(1) == "Reply 1, or MENU"
    assert rendering.wrong_number(0) == "Reply MENU for the menu"


def lines_in_order(text: str) -> list[str]:
    return LINES.findall(text)


def test_help_leads_with_911_then_988_then_the_helpline_names_the_program_and_stop(monkeypatch):
    monkeypatch.delattr(facts, "helpline_hours", raising=False)
    text = rendering.help_text()
    assert lines_in_order(text)[:3] == ["911", "988", helpline()]
    assert text.startswith("Emergency: call 911.")
    assert "call or text 988" in text
    assert center_name() in text and "STOP" in text
    assert text.index(helpline()) < text.index("STOP")
    assert "hours" not in text.lower()
    assert rendering.is_gsm(text)
    assert rendering.segment_count(text) <= rendering.SEGMENT_TARGET


@pytest.mark.parametrize("hours", ["", None, "   "])
def test_help_says_nothing_of_hours_it_does_not_know(monkeypatch, hours):
    monkeypatch.setattr(facts, "helpline_hours", lambda: hours, raising=False)
    assert "hours" not in rendering.help_text().lower()


def test_help_gives_the_helplines_hours_after_it_when_they_are_a_fact(monkeypatch):
    monkeypatch.setattr(
        facts, "helpline_hours", lambda: "Mon\u2013Fri 8am\u20138pm.", raising=False
    )
    text = rendering.help_text()
    assert "Helpline hours: Mon-Fri 8am-8pm." in text  # in the GSM alphabet
    assert text.index(helpline()) < text.index("Helpline hours") < text.index("STOP")
    assert rendering.is_gsm(text)
    assert rendering.segment_count(text) <= rendering.SEGMENT_TARGET


def test_long_hours_leave_out_what_carriers_do_not_require(monkeypatch):
    hours = "Monday to Friday 8 a.m. to 10 p.m., weekends and holidays 9 a.m. to 5 p.m."
    monkeypatch.setattr(facts, "helpline_hours", lambda: hours, raising=False)
    text = rendering.help_text()
    assert hours.rstrip(".") in text and center_name() in text and "STOP" in text
    assert rendering.segment_count(text) <= rendering.SEGMENT_TARGET
    assert lines_in_order(text)[:3] == ["911", "988", helpline()]


def test_hours_that_fail_to_read_are_left_out(monkeypatch):
    def broken() -> str:
        raise KeyError("helpline_hours")

    monkeypatch.setattr(facts, "helpline_hours", broken, raising=False)
    assert "hours" not in rendering.help_text().lower()


URGENT_HELP = SMS_RESPONSES["utter_urgent_person_now"]


def test_a_bare_help_gets_the_urgent_reply_then_the_program_and_stop(monkeypatch):
    monkeypatch.setattr(facts, "helpline_hours", lambda: "24/7", raising=False)
    urgent = as_sent(URGENT_HELP)
    text = rendering.with_help_content(urgent)
    assert text.startswith(urgent + "\n")
    assert lines_in_order(text)[:3] == ["911", "988", helpline()]
    assert text.index(helpline()) < text.index("Helpline hours: 24/7.") < text.index("STOP")
    assert center_name() in text.split("\n")[-1]
    assert "MENU" not in text  # no menu hint after an urgent reply
    assert rendering.segment_count(text) <= rendering.SEGMENT_TARGET


def test_the_call_back_notice_gives_the_helpline_and_the_emergency_lines():
    text = rendering.callback_unavailable()
    assert helpline() in text and "911" in text and "988" in text
    assert rendering.segment_count(text) == 1
