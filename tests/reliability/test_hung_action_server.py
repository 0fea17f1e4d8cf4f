"""An urgent message is answered within 2 s while a custom action in its conversation hangs.

The Rasa server's action endpoint here is a socket that takes requests and
never answers, as a hung action server would. "can I see the sources" runs the
custom action action_show_sources and so holds its conversation (Rasa waits
300 s for it); an overdose message in the same conversation must not wait
behind it (channels/urgent_first.py).
"""

import contextlib
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from tests.channels.sms_client import conversation_id, text
from tests.conftest import say
from tests.replies import LINES, texts
from tests.stored import user_intents
from tools.local_servers import Servers, start_servers
from tools.widget_client import WidgetClient

URGENT = "he took too much and wont wake up, his lips are blue"
RUNS_THE_ACTION = "can i see the sources for that"
PHONE = "+15085550161"  # fictional (555-01xx)
# The promise is 2 s; the reply may not take longer than this over loopback.
WITHIN_SECONDS = 2.0


class HungActionServer:
    """Accepts connections, reads what comes and never answers."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.called = threading.Event()
        self._connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self._connections.append(connection)
            self.called.set()

    def close(self) -> None:
        self._socket.close()
        for connection in self._connections:
            connection.close()


@pytest.fixture(scope="module")
def hung() -> Iterator[HungActionServer]:
    server = HungActionServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def servers_with_hung_actions(
    model_path: str, hung: HungActionServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servers]:
    running = start_servers(model_path, Path(tmp_path_factory.mktemp("hung")), action_url=hung.url)
    yield running
    running.stop()


def _hold_the_conversation(send, hung: HungActionServer) -> threading.Thread:
    """Sends the message that runs the custom action, and waits until it hangs."""
    hung.called.clear()
    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    assert hung.called.wait(30), "the custom action was never called"
    return thread


def _ignore_failure(call) -> None:
    # The held request ends in an error once the stand-in server closes.
    with contextlib.suppress(requests.RequestException, OSError, TimeoutError):
        call()


def test_rest_urgent_reply_does_not_wait_for_a_hung_action(
    servers_with_hung_actions: Servers, hung: HungActionServer
):
    servers, sender = servers_with_hung_actions, "hung-rest"
    say(servers, sender, "hi")
    _hold_the_conversation(
        lambda: _ignore_failure(
            lambda: requests.post(
                servers.url + "/webhooks/rest/webhook",
                json={"sender": sender, "message": RUNS_THE_ACTION},
                timeout=60,
            )
        ),
        hung,
    )
    started = time.monotonic()
    replies = say(servers, sender, URGENT)
    elapsed = time.monotonic() - started

    assert elapsed < WITHIN_SECONDS, f"the urgent reply took {elapsed:.1f} s"
    assert LINES.findall(texts(replies))[:1] == ["911"]
    assert any((r.get("custom") or {}).get("handoff") for r in replies)
    assert len([r for r in replies if r.get("text")]) == 1, "the handoff is sent once"


def test_sms_urgent_reply_does_not_wait_for_a_hung_action(
    servers_with_hung_actions: Servers, hung: HungActionServer
):
    servers = servers_with_hung_actions
    text(servers, PHONE, "hi")
    _hold_the_conversation(
        lambda: _ignore_failure(lambda: text(servers, PHONE, RUNS_THE_ACTION)), hung
    )
    started = time.monotonic()
    reply = text(servers, PHONE, URGENT) or ""
    elapsed = time.monotonic() - started

    assert elapsed < WITHIN_SECONDS, f"the urgent SMS reply took {elapsed:.1f} s"
    assert LINES.findall(reply)[:1] == ["911"]


def test_widget_urgent_reply_does_not_wait_for_a_hung_action(
    servers_with_hung_actions: Servers, hung: HungActionServer
):
    widget = WidgetClient(servers_with_hung_actions.url)
    try:
        widget.start_session()
        hung.called.clear()
        widget.client.emit("user_uttered", {"message": RUNS_THE_ACTION})
        assert hung.called.wait(30), "the custom action was never called"
        started = time.monotonic()
        widget.client.emit("user_uttered", {"message": URGENT})
        reply = widget.next_reply()
        elapsed = time.monotonic() - started
    finally:
        widget.close()

    assert elapsed < WITHIN_SECONDS, f"the urgent widget reply took {elapsed:.1f} s"
    assert LINES.findall(reply.get("text") or "")[:1] == ["911"]
    assert (reply.get("custom") or {}).get("handoff") is True


def test_the_urgent_message_answered_early_is_still_stored(
    servers_with_hung_actions: Servers, hung: HungActionServer
):
    """Once the hung action gives up, Rasa stores the urgent message in its place."""
    servers = servers_with_hung_actions
    hung.close()  # the held requests fail now; Rasa goes on with the queue
    deadline = time.monotonic() + 30
    for sender in ("hung-rest", conversation_id(PHONE)):
        while "urgent_overdose" not in user_intents(servers.db, sender):
            assert time.monotonic() < deadline, user_intents(servers.db, sender)
            time.sleep(0.5)
        assert user_intents(servers.db, sender)[-2:] == ["ask_sources", "urgent_overdose"]
