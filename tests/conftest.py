"""Shared fixtures: the trained model, and real servers started on loopback.

Servers are started once per test session (Rasa takes a while to load) with
their own temporary SQLite databases, so tests never touch var/.
"""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import requests

from tools.local_servers import local_endpoints, rasa_run_command

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

# Secrets the channels read from the environment; test values only.
TEST_ENV = {
    "TWILIO_AUTH_TOKEN": "test-twilio-auth-token",
    "SMS_SENDER_KEY": "test-sender-hash-key",
    "WEBCHAT_ALLOWED_ORIGINS": "http://127.0.0.1,http://localhost",
}


@pytest.fixture(scope="session")
def model_path() -> str:
    """The trained model: LAR_MODEL from make, else trained if needed."""
    path = os.environ.get("LAR_MODEL")
    if not path:
        path = subprocess.run(
            ["tools/model.sh"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
    return str(ROOT / path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} answered")
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class Servers:
    url: str
    port: int
    db: Path
    audit_db: Path
    log: Path
    action_process: subprocess.Popen | None
    rasa_process: subprocess.Popen

    def stop(self) -> None:
        for process in (self.rasa_process, self.action_process):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def start_servers(
    model: str,
    workdir: Path,
    *,
    with_actions: bool = True,
    env: dict | None = None,
    db: Path | None = None,
) -> Servers:
    """Start an action server (optional) and a Rasa server with every channel."""
    workdir.mkdir(parents=True, exist_ok=True)
    port, action_port = free_port(), free_port()
    db = db or workdir / "conversations.db"
    audit_db = workdir / "handoffs.db"
    endpoints = local_endpoints(workdir, f"http://127.0.0.1:{action_port}", db)
    process_env = {
        **os.environ,
        **TEST_ENV,
        "SMS_OPTOUT_DB": str(workdir / "sms_optouts.db"),
        **(env or {}),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    process_env["PYTHONPATH"] = str(ROOT)
    log = workdir / "rasa.log"
    action_process = None
    if with_actions:
        action_process = subprocess.Popen(
            [
                str(VENV_BIN / "rasa"),
                "run",
                "actions",
                "--port",
                str(action_port),
                "--actions",
                "actions",
            ],
            cwd=ROOT,
            env={**process_env, "SANIC_HOST": "127.0.0.1"},
            stdout=open(workdir / "actions.log", "w"),  # noqa: SIM115 (the child owns it)
            stderr=subprocess.STDOUT,
        )
    rasa_process = subprocess.Popen(
        rasa_run_command(model, endpoints, port),
        cwd=ROOT,
        env=process_env,
        stdout=open(log, "w"),  # noqa: SIM115 (the child owns it)
        stderr=subprocess.STDOUT,
    )
    servers = Servers(
        f"http://127.0.0.1:{port}", port, db, audit_db, log, action_process, rasa_process
    )
    try:
        wait_until_up(servers.url + "/", rasa_process)
        if action_process:
            wait_until_up(f"http://127.0.0.1:{action_port}/health", action_process)
    except Exception:
        servers.stop()
        raise
    return servers


@pytest.fixture(scope="session")
def servers(model_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The Rasa server with every channel, and the action server, on loopback."""
    running = start_servers(model_path, tmp_path_factory.mktemp("servers"))
    yield running
    running.stop()


def say(servers: Servers, sender: str, message: str) -> list[dict]:
    """One message over the REST channel; the bot's replies."""
    response = requests.post(
        servers.url + "/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="session")
def assistant(model_path: str):
    """The trained assistant in this process, with no action server."""
    from tools.in_process import Assistant

    loaded = Assistant(model_path)
    yield loaded
    loaded.close()
