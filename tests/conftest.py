"""Shared fixtures: the trained model, and real servers started on loopback.

Servers are started once per test session (Rasa takes a while to load) with
their own temporary SQLite databases (tools/local_servers.py), so tests never
touch var/.
"""

from typing import Iterator

import pytest
import requests

from tools.in_process import model_path as current_model
from tools.local_servers import Servers, start_servers


@pytest.fixture(scope="session")
def model_path() -> str:
    """The trained model: LAR_MODEL from make, else trained if needed."""
    return current_model()


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
