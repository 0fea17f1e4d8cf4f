"""make review: the staff's report of what went unanswered, from seeded databases."""

import json
import re
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timezone
from html import unescape

import pytest

from storage.handoff_audit import HandoffAudit
from storage.redaction import redact
from tools.in_process import ROOT
from tools.review_data import collect
from tools.review_report import main, render

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 7)
# Sender ids as the channels make them; none may reach the report.
WEB_A, WEB_B, SMS_C, SMS_D = "wc-3f9a1c77e2", "wc-b81d0e44a9", "sms-5be0c2d1f7aa", "+15085550123"
STORED_EMAIL, STORED_PHONE = "jo.smith@example.com", "508-555-0142"


def user(text, intent, channel="webchat", topic=None):
    """A user event as (type_name, intent_name, action_name, data)."""
    parsed = {"name": intent, "confidence": 0.9}
    if topic:
        parsed["full_retrieval_intent_name"] = topic
    data = {"text": text, "input_channel": channel, "parse_data": {"intent": parsed, "text": text}}
    return "user", intent, None, {"event": "user", **data}


def action(name):
    return "action", None, name, {"event": "action", "name": name}


def bot(text, handoff_reason=None):
    custom = {"handoff": True, "reason": handoff_reason} if handoff_reason else None
    return "bot", None, None, {"event": "bot", "text": text, "data": {"custom": custom}}


def at(day, hour, minute=0):
    """An epoch time on a local day, as Rasa stores it."""
    return datetime(2026, 11, day, hour, minute).timestamp()


# (sender, local time, event); the conversations of one seeded week and its edges.
EVENTS = [
    # Misunderstood by the NLU: the fallback intent.
    (WEB_A, at(2, 10), user("do you take medicaid insurance?", "nlu_fallback")),
    (WEB_A, at(2, 10), action("utter_fallback")),
    (WEB_A, at(2, 10), bot("Sorry, I'm not sure I understood.")),
    (WEB_A, at(2, 11), user("/faq/mat_what_is", "faq", topic="faq/mat_what_is")),
    (WEB_A, at(2, 11), action("utter_faq")),
    # Classified, but the dialogue answered with the fallback reply: same question.
    (SMS_C, at(3, 9), user("Does the clinic take Medicaid insurance", "greet", "twilio")),
    (SMS_C, at(3, 9), action("utter_fallback")),
    (SMS_C, at(3, 9, 5), user("how long does detox last", "faq", "twilio", "faq/detox_length")),
    (SMS_C, at(3, 9, 6), user("im going to kill myself", "urgent_suicide", "twilio")),
    (SMS_C, at(3, 9, 6), bot("Call or text 988 now.", handoff_reason="suicide")),
    # Out of scope, with contact details a stored message should not have kept.
    (
        WEB_B,
        at(3, 20),
        user(f"can my dog stay? mail {STORED_EMAIL} or {STORED_PHONE}", "out_of_scope"),
    ),
    (WEB_B, at(3, 20), action("utter_out_of_scope")),
    (WEB_B, at(4, 8), user("how long is detox", "faq", topic="faq/detox_length")),
    (WEB_B, at(4, 8, 1), user("my friend is not breathing", "urgent_overdose")),
    (WEB_B, at(4, 8, 1), bot("Call 911 now.", handoff_reason="overdose")),
    (SMS_D, at(6, 23, 59), user("i want to talk to someone", "request_human", "twilio")),
    (SMS_D, at(6, 23, 59), bot("Call our helpline.", handoff_reason="human")),
    # Outside the range: the evening before and the morning after.
    (WEB_A, datetime(2026, 10, 31, 23, 30).timestamp(), user("where can i park", "nlu_fallback")),
    (WEB_A, datetime(2026, 10, 31, 23, 30).timestamp(), action("utter_fallback")),
    (SMS_D, at(8, 0, 30), user("what about my cat", "out_of_scope", "twilio")),
    (SMS_D, at(8, 0, 31), user("tell me about naltrexone", "faq", "twilio", "faq/naltrexone")),
    (SMS_D, at(8, 0, 32), bot("Call 911 now.", handoff_reason="medical")),
]


@pytest.fixture
def conversations_db(tmp_path):
    db = tmp_path / "conversations.db"
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT NOT NULL,"
            " type_name TEXT NOT NULL, timestamp REAL, intent_name TEXT, action_name TEXT,"
            " data TEXT)"
        )
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (sender, kind, ts, intent, name, json.dumps({**data, "timestamp": ts}))
                for sender, ts, (kind, intent, name, data) in EVENTS
            ],
        )
    return f"sqlite:///{db}"


@pytest.fixture
def audit_db(tmp_path):
    """The audit as the Rasa server writes it: more handoffs than the kept conversations."""
    path = tmp_path / "handoffs.db"
    audit = HandoffAudit(f"sqlite:///{path}")
    for channel, category, local_time in [
        ("webchat", "overdose", datetime(2026, 11, 1, 0, 5)),
        ("webchat", "overdose", datetime(2026, 11, 4, 8, 1)),
        ("twilio", "suicide", datetime(2026, 11, 3, 9, 6)),
        ("twilio", "overdose", datetime(2026, 11, 7, 23, 55)),
        ("webchat", "medical", datetime(2026, 10, 31, 23, 55)),
        ("twilio", "medical", datetime(2026, 11, 8, 0, 5)),
    ]:
        audit.record(channel, category, at=local_time.astimezone(timezone.utc))
    audit._engine.dispose()
    return str(path)


def section(html: str, heading: str) -> str:
    """The HTML under one <h2>, up to the next."""
    return html.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]


def text(cell_html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", cell_html)).split())


def rows(html: str) -> list[list[str]]:
    """Each table row's cells as text, example lists included."""
    return [
        [text(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", html)
    ]


def report(conversations_db, audit_db) -> str:
    return render(collect(conversations_db, audit_db, FIRST, LAST))


def test_unanswered_questions_are_grouped_with_counts_biggest_first(conversations_db, tmp_path):
    html = report(conversations_db, str(tmp_path / "no-audit.db"))
    table = rows(section(html, "Questions the assistant could not answer"))
    assert table == [
        ["Times", "Question (and other wordings)"],
        ["2", "do you take medicaid insurance? Does the clinic take Medicaid insurance"],
        ["1", "can my dog stay? mail [email] or [phone]"],
        ["3", "in 2 groups"],
    ]


def test_topics_asked_most_by_full_retrieval_intent(conversations_db, audit_db):
    table = rows(section(report(conversations_db, audit_db), "Topics asked most"))
    assert table == [
        ["Topic", "Count", "Share"],
        ["faq/detox_length", "2", "67%"],
        ["faq/mat_what_is", "1", "33%"],
        ["Total", "3", ""],
    ]


def test_handoffs_per_reason_and_channel_come_from_the_audit(conversations_db, audit_db):
    handoffs = section(report(conversations_db, audit_db), "Urgent handoffs")
    by_reason, by_channel = handoffs.split("<h3>By channel</h3>")
    assert rows(by_reason)[1:] == [
        ["overdose", "3", "75%"],
        ["suicide", "1", "25%"],
        ["Total", "4", ""],
    ]
    assert rows(by_channel)[1:] == [
        ["twilio", "2", "50%"],
        ["webchat", "2", "50%"],
        ["Total", "4", ""],
    ]
    assert "Counted by the handoff audit" in handoffs


def test_without_an_audit_handoffs_are_counted_from_the_conversations(conversations_db, tmp_path):
    handoffs = section(report(conversations_db, str(tmp_path / "none.db")), "Urgent handoffs")
    by_reason, by_channel = handoffs.split("<h3>By channel</h3>")
    assert sorted(rows(by_reason)[1:-1]) == [
        ["human", "1", "33%"],
        ["overdose", "1", "33%"],
        ["suicide", "1", "33%"],
    ]
    # The channel is the one the preceding message came in on.
    assert rows(by_channel)[1:] == [
        ["twilio", "2", "67%"],
        ["webchat", "1", "33%"],
        ["Total", "3", ""],
    ]
    assert "No handoff audit was found" in handoffs
    assert not (tmp_path / "none.db").exists()


def test_the_chart_has_one_bar_per_day_of_the_range(conversations_db, audit_db):
    chart = section(report(conversations_db, audit_db), "Conversations per day")
    bars = re.findall(r'<rect class="day"[^>]*><title>([^<]*)</title>', chart)
    assert bars == [
        "2026-11-01: 0 conversations",
        "2026-11-02: 1 conversation",
        "2026-11-03: 2 conversations",
        "2026-11-04: 1 conversation",
        "2026-11-05: 0 conversations",
        "2026-11-06: 1 conversation",
        "2026-11-07: 0 conversations",
    ]
    assert "4 conversations in the period" in chart


def test_messages_outside_the_range_are_left_out(conversations_db, audit_db):
    html = report(conversations_db, audit_db)
    for outside in ["where can i park", "what about my cat", "naltrexone", "medical"]:
        assert outside not in html


def test_no_sender_id_phone_number_or_email_in_the_report(conversations_db, audit_db, tmp_path):
    for audit in [audit_db, str(tmp_path / "none.db")]:
        html = report(conversations_db, audit)
        for secret in [WEB_A, WEB_B, SMS_C, SMS_D, "5085550123", STORED_EMAIL, STORED_PHONE]:
            assert secret not in html
        # Nothing left that redaction would catch but the report's own dates.
        assert redact(html).count("[phone]") == html.count("[phone]")
        assert redact(html).count("[email]") == html.count("[email]")
        assert "[email]" in html and "[phone]" in html


def test_message_text_is_escaped(tmp_path):
    db = tmp_path / "c.db"
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT,"
            " timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        text = "<script>alert(1)</script> is this <b>private</b>?"
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data)"
            " VALUES ('<x>', 'user', ?, 'nlu_fallback', ?)",
            (at(2, 12), json.dumps({"text": text, "parse_data": {"intent": {}}})),
        )
    html = report(f"sqlite:///{db}", str(tmp_path / "none.db"))
    assert "<script>" not in html and "<b>private" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is this &lt;b&gt;private&lt;/b&gt;?" in html


def test_the_command_writes_the_report(conversations_db, audit_db, tmp_path):
    out = tmp_path / "reports" / "review.html"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "tools.review_report", "--from", "2026-11-01"),
            *("--to", "2026-11-07", "--db", conversations_db),
            *("--audit-db", audit_db, "--out", str(out)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"Review report: {out}" in result.stdout
    assert "3 unanswered messages in 2 groups, 4 urgent handoffs" in result.stdout
    html = out.read_text()
    assert "<h1>Lake Avenue Recovery assistant: what went unanswered</h1>" in html
    assert "2026-11-01 to 2026-11-07" in html
    # Self-contained: no stylesheet, script, image or font fetched from anywhere.
    assert not re.search(r"(src|href)=|url\(|@import|https?://", html)


def test_the_conversations_database_defaults_to_bot_db_url(
    conversations_db, audit_db, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("BOT_DB_URL", conversations_db)
    out = tmp_path / "review.html"
    main(["--from", "2026-11-01", "--to", "2026-11-07", "--audit-db", audit_db, "--out", str(out)])
    assert "4 conversations, 3 unanswered messages" in capsys.readouterr().out
    assert out.is_file()


def test_a_database_not_created_yet_gives_an_empty_report(tmp_path):
    html = render(collect(str(tmp_path / "c.db"), str(tmp_path / "h.db"), FIRST, LAST))
    assert "<p>None in this period.</p>" in html
    assert html.count('<rect class="day"') == 7
    assert not list(tmp_path.iterdir())
