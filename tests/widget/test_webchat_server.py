"""The widget channel on the real server: its files, its config and its socket."""

import sqlite3
import threading
import time

import pytest
import requests
import socketio

from center.facts import center_name, helpline, helpline_tel
from center.sources import SOURCES
from tools.local_servers import Servers

ALLOWED = "http://127.0.0.1:3000"  # WEBCHAT_ALLOWED_ORIGINS in tests: loopback, any port
FOREIGN = "https://evil.example"


def get(servers: Servers, path: str, origin: str | None = None) -> requests.Response:
    headers = {"Origin": origin} if origin else {}
    return requests.get(servers.url + path, headers=headers, timeout=10)


def test_the_config_has_the_centers_facts_from_their_one_definition(servers: Servers):
    config = get(servers, "/webchat/config.json").json()
    assert config == {
        "centerName": center_name(),
        "helpline": helpline(),
        "helplineTel": helpline_tel(),
        "socketioPath": "/socket.io",
    }


def test_only_allowed_sites_may_read_the_config(servers: Servers):
    allowed = get(servers, "/webchat/config.json", ALLOWED)
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    foreign = get(servers, "/webchat/config.json", FOREIGN)
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_the_socket_refuses_pages_from_other_sites(servers: Servers):
    handshake = "/socket.io/?EIO=4&transport=polling"
    assert get(servers, handshake, ALLOWED).status_code == 200
    assert get(servers, handshake, FOREIGN).status_code == 400


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/webchat/", "text/html"),
        ("/webchat/exit.html", "text/html"),
        ("/webchat/widget.js", "text/javascript"),
        ("/webchat/widget.css", "text/css"),
        ("/webchat/vendor/socket.io.min.js", "text/javascript"),
    ],
)
def test_the_widget_files_are_served_from_this_server(
    servers: Servers, path: str, content_type: str
):
    response = get(servers, path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(content_type)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in response.headers
    if content_type == "text/html":
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    ["/webchat/package.json", "/webchat/channel.py", "/webchat/vendor/socket.io.min.js.map"],
)
def test_nothing_else_is_served(servers: Servers, path: str):
    assert get(servers, path).status_code == 404


class Visitor:
    """A socket.io client as the widget is: session request, then messages."""

    def __init__(self, servers: Servers) -> None:
        self.client = socketio.Client(reconnection=False)
        self.session_id: str | None = None
        self.replies: list[dict] = []
        self._confirmed = threading.Event()
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_uttered", self.replies.append)
        self.client.connect(
            servers.url, headers={"Origin": ALLOWED}, socketio_path="/socket.io", wait_timeout=10
        )

    def _on_confirm(self, session_id: str) -> None:
        self.session_id = session_id
        self._confirmed.set()

    def start_session(self, session_id: str | None) -> str:
        self._confirmed.clear()
        self.client.emit("session_request", {"session_id": session_id})
        assert self._confirmed.wait(10)
        return self.session_id

    def say(self, text: str, replies: int = 1) -> list[dict]:
        before = len(self.replies)
        self.client.emit("user_uttered", {"message": text})
        wait_until(lambda: len(self.replies) >= before + replies)
        return self.replies[before:]


def wait_until(condition, timeout: float = 30) -> None:
    """Waits for something the server does after answering (not a timing check)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def visitor(servers: Servers):
    visitor = Visitor(servers)
    yield visitor
    visitor.client.disconnect()


def test_a_session_token_is_kept_and_a_made_up_one_is_replaced(visitor: Visitor):
    first = visitor.start_session(None)
    conversation, signature = first.split(".")
    assert len(conversation) == 32 and len(signature) == 32
    assert visitor.start_session(first) == first
    for made_up in ("../../not-an-id", conversation, f"{conversation}.{'0' * 32}", "a" * 32):
        fresh = visitor.start_session(made_up)
        assert fresh.split(".")[0] not in (conversation, made_up)


def test_a_copied_or_invented_session_gets_none_of_the_first_conversation(servers: Servers):
    owner, intruder = Visitor(servers), Visitor(servers)
    try:
        token = owner.start_session(None)
        conversation = token.split(".")[0]
        # An intruder that learned the conversation id, or forged a signature,
        # gets a conversation of its own.
        for presented in (conversation, f"{conversation}.{'f' * 32}"):
            assert intruder.start_session(presented).split(".")[0] != conversation
        [reply] = owner.say("my friend is not breathing")
        assert reply["custom"]["handoff"] is True
        # The intruder's own conversation answers it; it never sees the owner's.
        intruder.say("what is detox")
        assert not any("Call 911" in r.get("text", "") for r in intruder.replies)
    finally:
        owner.client.disconnect()
        intruder.client.disconnect()


def test_a_message_before_a_session_gets_a_reply_not_silence(visitor: Visitor):
    visitor.client.emit("user_uttered", {"message": "hello?"})
    wait_until(lambda: len(visitor.replies) >= 1)
    [reply] = visitor.replies
    assert "reload" in reply["text"] and "911" in reply["text"]


def test_an_urgent_message_arrives_as_one_event_with_its_handoff(
    visitor: Visitor, servers: Servers
):
    visitor.start_session(None)
    [reply] = visitor.say("my friend is not breathing")
    assert reply["custom"] == {"handoff": True, "reason": "overdose"}
    assert reply["text"].startswith("Call 911 now.")
    assert helpline() in reply["text"]

    # The handoff audit counts it as the widget's, without the text or the sender.
    def webchat_overdoses() -> int:
        with sqlite3.connect(servers.audit_db) as db:
            query = "SELECT COUNT(*) FROM handoffs WHERE channel = 'webchat' AND category = ?"
            return db.execute(query, ("overdose",)).fetchone()[0]

    wait_until(lambda: webchat_overdoses() >= 1)


def test_a_curated_answer_carries_its_quick_replies_and_sources(visitor: Visitor):
    visitor.start_session(None)
    [reply] = visitor.say("/faq/mat_what_is")
    assert reply["quick_replies"][0] == {"title": "Methadone", "payload": "/faq/mat_methadone"}
    # Shown by their titles, not the keys the content uses.
    sources = reply["metadata"]["sources"]
    assert sources and set(sources) <= set(SOURCES.values())
