"""The action server runs actions only for the caller that holds the shared secret.

A real action server (actions/__main__.py) on loopback: calls without the
X-Action-Token header, or with a wrong one, get 401 and run nothing; the right
one runs the action; without ACTION_SERVER_TOKEN every call is refused. The
Rasa server of `make run` and the tests sends the header (tools/local_servers.py).
"""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import say
from tools.local_servers import (
    ACTION_TOKEN_ENV,
    ACTION_TOKEN_HEADER,
    ROOT,
    Servers,
    action_server_command,
    free_port,
    server_env,
    stop_process,
    wait_until_up,
)

SECRET = "a-secret-only-the-rasa-server-has"


def action_call(sender: str = "secret-test") -> dict:
    """What the Rasa server posts to run action_show_sources after a curated answer."""
    return {
        "next_action": "action_show_sources",
        "sender_id": sender,
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {},
            "latest_message": {"intent": {"name": "ask_sources"}, "text": "sources?"},
            "events": [
                {
                    "event": "bot",
                    "text": "An answer.",
                    "metadata": {"metadata": {"sources": ["cdc"], "last_reviewed": "2026-01-02"}},
                }
            ],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def start_action_server(tmp_path: Path, token: str | None) -> tuple[str, subprocess.Popen]:
    port = free_port()
    env = server_env()
    env.pop(ACTION_TOKEN_ENV, None)
    if token is not None:
        env[ACTION_TOKEN_ENV] = token
    process = subprocess.Popen(
        action_server_command(port),
        cwd=ROOT,
        env=env,
        stdout=open(tmp_path / "actions.log", "w"),  # noqa: SIM115 (the child owns it)
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/health", process)
    return url, process


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, process = start_action_server(tmp_path_factory.mktemp("secret"), SECRET)
    yield url
    stop_process(process)


@pytest.mark.parametrize(
    "headers", [{}, {ACTION_TOKEN_HEADER: ""}, {ACTION_TOKEN_HEADER: SECRET + "x"}]
)
def test_a_call_without_the_secret_runs_nothing(action_server: str, headers: dict):
    response = requests.post(action_server + "/webhook", json=action_call(), headers=headers)
    assert response.status_code == 401
    assert "responses" not in response.json()
    listing = requests.get(action_server + "/actions", headers=headers)
    assert listing.status_code == 401


def test_the_secret_runs_the_action(action_server: str):
    response = requests.post(
        action_server + "/webhook", json=action_call(), headers={ACTION_TOKEN_HEADER: SECRET}
    )
    assert response.status_code == 200
    [message] = response.json()["responses"]
    assert message["response"] == "utter_sources_of_last_answer"
    assert "Centers for Disease Control" in message["sources"]


def test_health_needs_no_secret(action_server: str):
    assert requests.get(action_server + "/health").json() == {"status": "ok"}


def test_without_a_configured_secret_every_call_is_refused(tmp_path: Path):
    url, process = start_action_server(tmp_path, token=None)
    try:
        for headers in ({}, {ACTION_TOKEN_HEADER: ""}, {ACTION_TOKEN_HEADER: "anything"}):
            response = requests.post(url + "/webhook", json=action_call(), headers=headers)
            assert response.status_code == 401
    finally:
        stop_process(process)
    assert "ACTION_SERVER_TOKEN is not set" in (tmp_path / "actions.log").read_text()


def test_the_rasa_server_sends_the_secret(servers: Servers):
    """A curated answer, then its sources: the action server ran the action for Rasa."""
    say(servers, "secret-e2e", "what is methadone")
    replies = say(servers, "secret-e2e", "where is that information from")
    text = " ".join(r.get("text") or "" for r in replies)
    assert "That answer comes from:" in text and "Last reviewed:" in text, text
