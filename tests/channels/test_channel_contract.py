"""The channel contract (channels/README.md), checked on every channel that credentials.yml lists.

The channels are made as `rasa run` makes them (from credentials.yml) and
mounted as Rasa mounts them, on a small Sanic server of this module. The test
chooses what Rasa's handler does: fail, answer nothing, or record what
reaches it and answer. A driver plays the person on each channel. A channel
added to credentials.yml without a driver fails every test here until one is
written. The safety check's order is checked on the real server (the
`servers` fixture), with the trained model.
"""

import itertools
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests
import yaml
from rasa.core.agent import Agent
from rasa.core.channels.channel import InputChannel, UserMessage, register
from rasa.core.run import create_http_input_channels
from sanic import Sanic
from sanic.request import Request

from center.facts import helpline
from channels.never_silent import no_reply_text
from channels.safe_input import valid_sender_id
from tests.channels import sms_client as twilio
from tests.replies import LINES
from tools.content import ROOT, load_topics
from tools.local_servers import TEST_ENV, Servers, free_port
from tools.widget_client import WidgetClient

CREDENTIALS = ROOT / "credentials.yml"
CHANNEL_PATHS: list[str] = list(yaml.safe_load(CREDENTIALS.read_text()))
README = ROOT / "channels" / "README.md"

# Fields a caller may send beside the text, which must not be stored.
METADATA = {"phone": "+15085550115", "email": "someone@example.org", "city": "Worcester"}
# A bell, a NUL and a decomposed é, as a careless client might send them.
MESSY = "he took\x07 too much\x00 cafe\u0301 "
CLEAN = "he took too much café"
PAYLOAD_SHAPED = '/goodbye{"a":"b"} he took too much'
BUTTON_PAYLOAD = "/faq/mat_methadone"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# --- a person on each channel: (base URL, text, metadata) -> the replies' texts ---


def over_rest(url: str, text: str, metadata: dict) -> list[str]:
    body = {
        "sender": f"contract-{uuid.uuid4().hex[:8]}",
        "message": text,
        "metadata": metadata,
        "input_channel": "twilio",  # a caller posing as another channel
    }
    response = requests.post(url + "/webhooks/rest/webhook", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return [reply["text"] for reply in response.json() if reply.get("text")]


def over_webchat(url: str, text: str, metadata: dict) -> list[str]:
    widget = WidgetClient(url)
    try:
        widget.start_session()
        widget.client.emit(
            "user_uttered", {"message": text, "metadata": metadata, "customData": metadata}
        )
        return [widget.next_reply().get("text") or ""]
    finally:
        widget.close()


# Fictional numbers (555-0116 to 555-0124); Twilio's own metadata is the
# location fields it posts beside From and Body.
SMS_PHONES = (f"+150855501{n:02d}" for n in itertools.cycle(range(16, 25)))


def over_sms(url: str, text: str, metadata: dict) -> list[str]:
    fields = twilio.twilio_fields(next(SMS_PHONES), text)
    response = twilio.post(SimpleNamespace(url=url), fields)
    assert response.status_code == 200, response.text
    reply = twilio.reply(response)
    return [reply] if reply else []


Driver = Callable[[str, str, dict], list[str]]
DRIVERS: dict[str, Driver] = {
    "channels.rest_input.CheckedRestInput": over_rest,
    "channels.webchat.channel.WebchatInput": over_webchat,
    "channels.sms.channel.SmsInput": over_sms,
}


# --- the channels on a server whose Rasa handler the test chooses ---


async def fails(message: UserMessage) -> None:
    raise RuntimeError("the action server is down")


async def answers_nothing(message: UserMessage) -> None:
    return None


@dataclass
class ChannelServer:
    url: str
    channels: dict[str, InputChannel]
    # What Rasa's handler does with a message (set by each test).
    rasa: Callable[[UserMessage], Any] = answers_nothing
    received: list[UserMessage] = field(default_factory=list)
    last_request: Request | None = None

    async def handle(self, message: UserMessage) -> None:
        await self.rasa(message)

    def send(self, path: str, text: str, metadata: dict | None = None) -> list[str]:
        if path not in DRIVERS:
            pytest.fail(
                f"{path} is in credentials.yml but {Path(__file__).name} has no driver for it: "
                "add to DRIVERS how a person sends one message on it (see channels/README.md)."
            )
        return DRIVERS[path](self.url, text, metadata or {})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelServer]:
    """Every channel of credentials.yml on one Sanic app, as `rasa run` serves them."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in TEST_ENV.items():
            env.setenv(name, value)
        env.setenv("SMS_OPTOUT_DB", str(tmp_path_factory.mktemp("contract") / "optouts.db"))
        channels = create_http_input_channels(None, str(CREDENTIALS))
        app = Sanic(f"contract_{uuid.uuid4().hex[:8]}")
        port = free_port()
        running = ChannelServer(
            f"http://127.0.0.1:{port}", dict(zip(CHANNEL_PATHS, channels, strict=True))
        )
        # Rasa's own handler calls the agent; this one, the test's.
        agent = Agent()
        agent.handle_message = running.handle
        app.ctx.agent = agent
        register(channels, app, route="/webhooks/")
        loops: list = []

        @app.listener("after_server_start")
        async def started(_: Sanic, loop: Any) -> None:
            loops.append(loop)

        @app.middleware("request")
        async def remember(request: Request) -> None:
            running.last_request = request

        thread = threading.Thread(
            target=app.run,
            kwargs={
                "host": "127.0.0.1",
                "port": port,
                "register_sys_signals": False,
                "access_log": False,
            },
            daemon=True,
        )
        thread.start()
        deadline = time.monotonic() + 60
        while not loops and time.monotonic() < deadline:
            time.sleep(0.1)
        assert loops, "the channels' server did not start"
        yield running
        loops[0].call_soon_threadsafe(app.stop)
        thread.join(timeout=20)


@pytest.fixture(params=CHANNEL_PATHS)
def path(request: pytest.FixtureRequest) -> str:
    """The class path of one channel in credentials.yml."""
    return request.param


@pytest.fixture
def records(server: ChannelServer) -> list[UserMessage]:
    """Rasa's handler records each message and answers "ok"."""

    async def record(message: UserMessage) -> None:
        server.received.append(message)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    server.received.clear()
    server.rasa = record
    return server.received


# --- 1. never silent ---


@pytest.mark.parametrize("rasa", [fails, answers_nothing], ids=["fails", "answers nothing"])
def test_when_rasa_fails_or_says_nothing_the_person_gets_the_help_lines(
    server: ChannelServer, path: str, rasa
):
    server.rasa = rasa
    assert server.send(path, "what is detox") == [no_reply_text()]


# --- 2. and 4. what reaches Rasa: checked, clean, the channel's own name, no metadata ---


def test_what_reaches_rasa_is_checked_and_carries_no_metadata(
    server: ChannelServer, path: str, records: list[UserMessage]
):
    assert server.send(path, MESSY, METADATA) == ["ok"]
    [message] = records
    assert valid_sender_id(message.sender_id)
    assert message.text.strip() == CLEAN and not _CONTROL.search(message.text)
    assert message.metadata is None
    assert message.input_channel == server.channels[path].name()
    assert server.channels[path].get_metadata(server.last_request) is None


# --- 3. only exact button payloads are intents ---


def test_only_an_exact_button_payload_reaches_rasa_with_its_slash(
    server: ChannelServer, path: str, records: list[UserMessage]
):
    server.send(path, PAYLOAD_SHAPED)
    server.send(path, BUTTON_PAYLOAD)
    shaped, button = (message.text for message in records)
    assert not shaped.lstrip().startswith("/") and "he took too much" in shaped
    assert button == BUTTON_PAYLOAD


# --- 5. names: response variants, and the README's table ---


def response_variants() -> dict[str, list[dict]]:
    """Every response's variants: domain.yml's and the curated topics'."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    responses.update({f"utter_faq/{t.id}": t.variants for t in load_topics().values()})
    return responses


VARIANT_NAMES = {
    variant["channel"]
    for variants in response_variants().values()
    for variant in variants
    if variant.get("channel")
}
# | `class path` | `name` | `replies through` | variants |
_ROW = re.compile(r"^\| `([\w.]+)` \| `(\w+)` \| `(\w+)` \| ([^|]+) \|$", re.MULTILINE)
TABLE = {
    path: (name, output, variants.strip())
    for path, name, output, variants in _ROW.findall(README.read_text())
}


def test_the_reply_name_picks_response_variants_or_is_documented_without(
    server: ChannelServer, path: str, records: list[UserMessage]
):
    server.send(path, "hi")
    [message] = records
    output = message.output_channel.name()
    assert path in TABLE, f"{path}: add its row to the table in channels/README.md"
    name, documented_output, variants = TABLE[path]
    assert (name, documented_output) == (server.channels[path].name(), output)
    if variants == "none":
        assert output not in VARIANT_NAMES, f"README says {path} has no variants"
    else:
        assert output in VARIANT_NAMES, f"no `channel: {output}` variant in the domain"


def test_every_response_variant_is_for_a_channel():
    outputs = {output for _, output, _ in TABLE.values()}
    assert outputs >= VARIANT_NAMES, "a `channel:` variant names no channel (a typo?)"
    assert set(TABLE) == set(CHANNEL_PATHS), "channels/README.md's table and credentials.yml"


# --- 6. the safety check before any keyword or menu, with the real model ---

# Exact keywords on SMS, or read as a choice, and urgent all the same.
URGENT_WORDS = ["HELP", "stop, he's not breathing"]


@pytest.mark.parametrize("words", URGENT_WORDS)
def test_urgent_words_get_the_urgent_reply_not_a_keyword(servers: Servers, path: str, words):
    if path not in DRIVERS:
        pytest.fail(f"{path}: no driver in DRIVERS (see channels/README.md)")
    text = " ".join(DRIVERS[path](servers.url, words, {}))
    lines = LINES.findall(text)
    assert lines and lines[0] == "911", text
    assert helpline() in lines, text
