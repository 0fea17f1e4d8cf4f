"""Rasa and action servers started the way tools/run.sh starts them, on loopback.

Each Rasa server gets its own temporary SQLite databases; both models (ours
and stock) run with the same endpoints and channels, so the only difference
between them is the model. Start-to-ready is the time from launching
`rasa run` until GET / answers; memory is sampled from launch to stop.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tools.bench.memory import PeakMemory
from tools.in_process import ROOT
from tools.local_servers import free_port, local_endpoints, rasa_run_command

RASA = str(Path(sys.executable).parent / "rasa")
READY_TIMEOUT_SECONDS = 300


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **(extra or {}),
    }


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    memory: PeakMemory
    ready_seconds: float

    def stop(self) -> int:
        """Stops the server; returns the peak RSS of its process tree in bytes."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.memory.stop()


def _wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}; see {log}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {READY_TIMEOUT_SECONDS} s; see {log}")


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
        _wait_until_ready(url + ready_path, process, log)
    except Exception:
        Server(url, process, memory, 0.0).stop()
        raise
    return Server(url, process, memory, time.monotonic() - started)


def start_action_server(workdir: Path) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [RASA, "run", "actions", "--port", str(port), "--actions", "actions"]
    env = server_env({"SANIC_HOST": "127.0.0.1"})
    return _launch(command, f"http://127.0.0.1:{port}", "/health", workdir / "actions.log", env)


def start_rasa_server(
    model: Path, workdir: Path, action_url: str, env: dict[str, str] | None = None
) -> Server:
    workdir.mkdir(parents=True, exist_ok=True)
    endpoints = local_endpoints(workdir, action_url)
    port = free_port()
    command = rasa_run_command(model, endpoints, port)
    extra = {"SMS_OPTOUT_DB": str(workdir / "sms_optouts.db"), **(env or {})}
    log = workdir / "rasa.log"
    return _launch(command, f"http://127.0.0.1:{port}", "/", log, server_env(extra))
