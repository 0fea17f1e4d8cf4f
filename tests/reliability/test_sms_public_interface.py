"""Served beyond this machine without TWILIO_WEBHOOK_URL, the SMS channel stays off.

A Twilio signature covers the URL Twilio called. Behind a proxy the server
cannot know it without TWILIO_WEBHOOK_URL, and a request's own Host header
cannot be trusted: so a server listening on a non-loopback interface starts
the SMS channel only with the URL set, and says so in one log line otherwise.
"""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.channels import sms_client as twilio
from tools.local_servers import (
    ACTION_TOKEN_ENV,
    ROOT,
    TEST_ENV,
    free_port,
    local_endpoints,
    rasa_run_command,
    server_env,
    stop_process,
    wait_until_up,
)


def start_on_all_interfaces(
    model: str, workdir: Path, public_url: str | None
) -> tuple[str, subprocess.Popen, Path]:
    port = free_port()
    endpoints = local_endpoints(workdir, "http://127.0.0.1:9", TEST_ENV[ACTION_TOKEN_ENV])
    command = rasa_run_command(model, endpoints, port)
    command[command.index("--interface") + 1] = "0.0.0.0"
    env = server_env({**TEST_ENV, "SMS_OPTOUT_DB": str(workdir / "optouts.db")})
    env.pop("TWILIO_WEBHOOK_URL", None)
    if public_url:
        env["TWILIO_WEBHOOK_URL"] = public_url
    log = workdir / "rasa.log"
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=open(log, "w"),  # noqa: SIM115 (the child owns it)
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/", process)
    return url, process, log


@pytest.fixture(scope="module")
def without_public_url(
    model_path: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    url, process, log = start_on_all_interfaces(model_path, tmp_path_factory.mktemp("public"), None)
    yield url, log
    stop_process(process)


def test_the_channel_is_off_and_says_why_in_one_line(without_public_url):
    url, log = without_public_url
    assert requests.get(url + "/webhooks/twilio/").json() == {"status": "disabled"}
    lines = [line for line in log.read_text().splitlines() if "SMS channel disabled" in line]
    assert len(lines) == 1 and "TWILIO_WEBHOOK_URL is not set" in lines[0]


def test_even_a_loopback_request_signed_for_its_host_is_refused(without_public_url):
    url, _ = without_public_url
    fields = twilio.twilio_fields("+15085550181", "hi")
    target = url + twilio.PATH
    form = [(name, value) for name, values in fields.items() for value in values]
    response = requests.post(
        target, data=form, headers={"X-Twilio-Signature": twilio.sign(target, fields)}
    )
    assert response.status_code == 403


def test_with_the_public_url_the_channel_answers(model_path: str, tmp_path: Path):
    url, process, _ = start_on_all_interfaces(
        model_path, tmp_path, "https://assistant.example.org/webhooks/twilio/webhook"
    )
    try:
        assert requests.get(url + "/webhooks/twilio/").json() == {"status": "ok"}
    finally:
        stop_process(process)
