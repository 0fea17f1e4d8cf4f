"""The HTTP API (conversations, model, status) is never exposed without a token.

Rasa serves it only with --enable-api; without --auth-token anyone who can
reach the port could read every conversation. The servers are started
without it, and no launcher of this project may pass it without a token.
"""

import re
from pathlib import Path

import pytest
import requests

from tools.in_process import ROOT
from tools.local_servers import Servers, rasa_run_command

API_CALLS = [
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/messages"),
    ("GET", "/conversations/someone/story"),
    ("GET", "/status"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("GET", "/domain"),
]
LAUNCHERS = [
    ROOT / "Makefile",
    *sorted((ROOT / "tools").glob("*.sh")),
    *sorted(path for path in (ROOT / "deploy").rglob("*") if path.is_file()),
]


def commands(path: Path) -> list[str]:
    """The file's lines, with backslash-continued lines joined."""
    return re.sub(r"\\\n", " ", path.read_text()).splitlines()


def rasa_servers(path: Path) -> list[str]:
    """Commands that start a Rasa server (not the action server)."""
    starts = re.compile(r"""rasa["',\s]+(run|shell)\b(?!["',\s]+actions)""")
    return [line for line in commands(path) if starts.search(line)]


@pytest.mark.parametrize(("method", "path"), API_CALLS)
def test_the_running_server_has_no_http_api(servers: Servers, method: str, path: str):
    response = requests.request(method, servers.url + path, json={}, timeout=10)
    assert response.status_code in (401, 403, 404, 405)
    assert "events" not in response.text


def test_no_launcher_enables_the_api_without_a_token():
    for path in LAUNCHERS:
        for line in commands(path):
            if "--enable-api" in line:
                assert re.search(r"--auth-token|--jwt-secret", line), f"{path}: {line}"


def test_run_sh_starts_both_servers_on_loopback_without_the_api():
    started = rasa_servers(ROOT / "tools" / "run.sh")
    assert len(started) == 2, "make run and make shell"
    # rasa shell serves a REST channel as well: both stay on this machine.
    assert all("--interface 127.0.0.1" in command for command in started)
    assert all("--enable-api" not in command for command in started)


def test_servers_started_by_tests_load_and_bench_stay_on_loopback_without_the_api():
    command = rasa_run_command("model.tar.gz", Path("endpoints.yml"), 5005)
    assert command[command.index("--interface") + 1] == "127.0.0.1"
    assert "--enable-api" not in command
