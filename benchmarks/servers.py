"""Rasa and action servers started the way tools/run.sh starts them, on loopback.

Each Rasa server gets its own temporary SQLite databases; both models (ours
and stock) run with the same endpoints and channels, so the only difference
between them is the model. Start-to-ready is the time from launching
`rasa run` until GET / answers; memory is sampled from launch to stop.
"""

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.memory import PeakMemory
from tools.in_process import ROOT
from tools.local_servers import (
    ACTION_TOKEN_ENV,
    TEST_ENV,
    action_server_command,
    free_port,
    local_endpoints,
    rasa_run_command,
    server_env,
    stop_process,
    wait_until_up,
)

READY_TIMEOUT_SECONDS = 300
# Ready-time resolution: how often a starting server is asked.
READY_POLL_SECONDS = 0.1
# The action server's shared secret (actions/__main__.py): the loopback stand-in.
ACTION_TOKEN = TEST_ENV[ACTION_TOKEN_ENV]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    memory: PeakMemory
    ready_seconds: float

    def stop(self) -> int:
        """Stops the server; returns the peak RSS of its process tree in bytes."""
        stop_process(self.process, timeout=30)
        return self.memory.stop()


def _launch(
    command: list[str], url: str, ready_path: str, log: Path, env: dict[str, str]
) -> Server:
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    memory = PeakMemory(process.pid).start()
    try:
        wait_until_up(url + ready_path, process, READY_TIMEOUT_SECONDS, READY_POLL_SECONDS)
    except Exception:
        print(f"The server's log: {log}")
        Server(url, process, memory, 0.0).stop()
        raise
    return Server(url, process, memory, time.monotonic() - started)


def start_action_server(workdir: Path) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = server_env({ACTION_TOKEN_ENV: ACTION_TOKEN})
    log = workdir / "actions.log"
    return _launch(action_server_command(port), f"http://127.0.0.1:{port}", "/health", log, env)


def start_rasa_server(model: Path, workdir: Path, action_url: str) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    endpoints = local_endpoints(workdir, action_url, ACTION_TOKEN)
    port = free_port()
    command = rasa_run_command(model, endpoints, port)
    env = server_env({"SMS_OPTOUT_DB": str(workdir / "sms_optouts.db")})
    return _launch(command, f"http://127.0.0.1:{port}", "/", workdir / "rasa.log", env)
