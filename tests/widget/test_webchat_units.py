"""The widget channel's parts without a server: allowed origins, bot messages, the greeting."""

import re

import pytest

from center.sources import SOURCES
from channels.webchat.assets import STATIC
from channels.webchat.channel import greeting_in
from channels.webchat.origins import DEFAULT_ORIGINS, AllowedOrigins
from channels.webchat.output import widget_message

SITE = AllowedOrigins("https://lakeavenue.example, https://www.lakeavenue.example:8443")


@pytest.mark.parametrize(
    "origin",
    [
        "https://lakeavenue.example",
        "https://lakeavenue.example:443",
        "https://www.lakeavenue.example:8443",
    ],
)
def test_listed_origins_are_allowed(origin: str):
    assert SITE.allows(origin)


@pytest.mark.parametrize(
    "origin",
    [
        "http://lakeavenue.example",  # another scheme
        "https://lakeavenue.example:8443",  # another port than the default
        "https://www.lakeavenue.example",  # the listed port only
        "https://lakeavenue.example.evil.example",
        "https://evil.example",
        "null",  # sandboxed frames, file: pages
        "",
        None,
    ],
)
def test_other_origins_are_refused(origin):
    assert not SITE.allows(origin)


def test_the_default_allows_loopback_on_any_port_only():
    loopback = AllowedOrigins(DEFAULT_ORIGINS)
    for origin in ("http://127.0.0.1:5005", "http://localhost:8000", "http://[::1]:3000"):
        assert loopback.allows(origin), origin
    assert not loopback.allows("https://127.0.0.1:5005")
    assert not loopback.allows("http://192.168.1.10:5005")


def test_the_environment_sets_the_list(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "https://lakeavenue.example")
    assert AllowedOrigins.from_env().allows("https://lakeavenue.example")
    assert not AllowedOrigins.from_env().allows("http://127.0.0.1:5005")
    monkeypatch.delenv("WEBCHAT_ALLOWED_ORIGINS")
    assert AllowedOrigins.from_env().allows("http://127.0.0.1:5005")


@pytest.mark.parametrize(
    "entries", ["*", "https://a.example,*", " , ", "lakeavenue.example", "https://a.example/page"]
)
def test_any_origin_and_malformed_entries_are_rejected(entries: str):
    with pytest.raises(ValueError):
        AllowedOrigins(entries)


def test_a_response_becomes_one_message_with_its_buttons_sources_and_handoff():
    response = {
        "text": "Call 911 now.",
        "buttons": [{"title": "Methadone", "payload": "/faq/mat_methadone"}],
        "custom": {"handoff": True, "reason": "overdose"},
        "metadata": {"sources": ["samhsa", "unknown_key"], "last_reviewed": "2026-11-28"},
        "utter_action": "utter_urgent_overdose",
        "timestamp": 1.0,
    }
    assert widget_message(response) == {
        "text": "Call 911 now.",
        "quick_replies": [{"title": "Methadone", "payload": "/faq/mat_methadone"}],
        "custom": {"handoff": True, "reason": "overdose"},
        "metadata": {"sources": [SOURCES["samhsa"], "unknown_key"]},
    }


def test_a_check_in_keeps_its_payload_and_choices():
    response = {
        "text": "Are you safe right now?",
        "buttons": [{"title": "I'm safe", "payload": "/check_in_safe"}],
        "custom": {"check_in": True, "reason": "suicide", "extra": "dropped"},
    }
    assert widget_message(response) == {
        "text": "Are you safe right now?",
        "quick_replies": [{"title": "I'm safe", "payload": "/check_in_safe"}],
        "custom": {"check_in": True, "reason": "suicide"},
    }


def test_a_plain_response_carries_only_its_text():
    assert widget_message({"text": "Hello", "custom": {"other": 1}, "metadata": {}}) == {
        "text": "Hello"
    }


def test_the_widget_never_writes_html_from_strings():
    """Message content must reach the page as text: no HTML-parsing sinks at all."""
    source = (STATIC / "widget.js").read_text()
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(")
    assert sinks.findall(source) == []


def test_the_widget_names_no_other_host():
    """Everything is loaded from the widget's own server: no absolute URL in its files."""
    for name in ("widget.js", "widget.css", "index.html", "exit.html"):
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]", (STATIC / name).read_text()), name


@pytest.mark.parametrize(
    ("text", "language", "sent"),
    [
        ("/greet", "es", '/greet{"language": "es"}'),
        ("/greet", "en", "/greet"),  # English is the conversation's first language anyway
        ("/greet", None, "/greet"),
        ("/greet", 'es"}', "/greet"),  # only a known language, never the caller's text
        ("hola", "es", "hola"),  # only the widget's greeting
        ("/menu_mat", "es", "/menu_mat"),
    ],
)
def test_the_greeting_names_the_pages_language(text: str, language, sent: str):
    assert greeting_in(text, language) == sent
