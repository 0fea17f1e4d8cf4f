"""Rasa servers started on loopback by the tests, make load and make bench.

They run as `make run` runs them: every channel of credentials.yml, and the
stores, lock store and handoff audit of endpoints.yml, with the databases in a
working folder of their own and the action server on a port of its own.
"""

import sys
from pathlib import Path

import yaml

from tools.in_process import ROOT


def local_endpoints(workdir: Path, action_url: str, db: Path | None = None) -> Path:
    """Writes workdir/endpoints.yml and returns its path."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"{action_url}/webhook"
    endpoints["tracker_store"]["db"] = str(db or workdir / "conversations.db")
    endpoints["event_broker"]["db"] = str(workdir / "handoffs.db")
    path = workdir / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def rasa_run_command(model: str | Path, endpoints: Path, port: int) -> list[str]:
    """`rasa run` of this venv with every channel, on 127.0.0.1 only, without the HTTP API."""
    return [
        str(Path(sys.executable).parent / "rasa"),
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(ROOT / "credentials.yml"),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
    ]
