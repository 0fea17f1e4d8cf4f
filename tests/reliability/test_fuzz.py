"""10,000 generated requests over every field each channel takes: the service stays up.

Hypothesis generates REST bodies (sender, message, metadata, input_channel,
extra keys; any JSON, any bytes; odd headers), widget socket events
(session_request and user_uttered with any data) and signed SMS forms (every
Twilio field, any value; odd headers), and sends them to a real server of its
own. Every case must get a reply or a 4xx: never a 5xx, never silence where a
person wrote text, and the process never exits. After every batch of cases an
urgent message must get its 911 reply within 1 s.

The examples are the same every run (derandomized); a failure is shrunk to
the smallest request that shows it.
"""

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.sms.handling import Keyword, keyword
from tests.channels import sms_client as twilio
from tests.replies import LINES, texts
from tools.local_servers import Servers, start_servers
from tools.widget_client import WidgetClient

CASES = {"rest": 4_000, "widget": 3_000, "sms": 3_000}  # 10,000 in all
BATCH = 500  # cases between two urgent checks
URGENT = "my brother is not breathing and his lips are blue"
URGENT_WITHIN_SECONDS = 1.0
REST = "/webhooks/rest/webhook"


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same cases every run, and no example database
        database=None,
        suppress_health_check=list(HealthCheck),
    )


class Checkpoints:
    """Counts the cases; after every BATCH, the server must be up and fast for urgent messages."""

    def __init__(self, servers: Servers) -> None:
        self.servers = servers
        self.cases = 0
        self.slowest = 0.0

    def case_done(self) -> None:
        self.cases += 1
        if self.cases % BATCH == 0:
            self.check()

    def check(self) -> None:
        assert self.servers.rasa_process.poll() is None, "the Rasa server exited"
        started = time.monotonic()
        response = requests.post(
            self.servers.url + REST,
            json={"sender": f"urgent-{uuid.uuid4().hex}", "message": URGENT},
            timeout=10,
        )
        elapsed = time.monotonic() - started
        self.slowest = max(self.slowest, elapsed)
        assert response.status_code == 200
        assert LINES.findall(texts(response.json()))[:1] == ["911"]
        assert elapsed < URGENT_WITHIN_SECONDS, f"urgent reply after {elapsed:.2f} s"


@pytest.fixture(scope="module")
def fuzzed(model_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    running = start_servers(model_path, Path(tmp_path_factory.mktemp("fuzz")))
    yield running
    running.stop()


# --- what a case may hold ---

# Any text: control characters, surrogates, emoji, right-to-left marks.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=120)
SAFE_ID = st.from_regex(r"\A[A-Za-z0-9_.:-]{1,40}\Z")
JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | ANY_TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
# Header values requests can send (latin-1), odd ones included.
HEADER_VALUE = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=40,
).map(str.strip)  # requests refuses to send a value with leading whitespace
HEADERS = st.dictionaries(
    st.sampled_from(
        ["Content-Type", "X-Forwarded-For", "Origin", "Accept", "X-Request-Id", "Cookie", "Host"]
    ),
    HEADER_VALUE,
    max_size=3,
)

REST_BODY = st.one_of(
    st.fixed_dictionaries(
        {"sender": st.one_of(SAFE_ID, ANY_TEXT, JSON_VALUE), "message": ANY_TEXT},
        optional={
            "metadata": JSON_VALUE,
            "input_channel": st.one_of(ANY_TEXT, st.sampled_from(["twilio", "webchat"])),
            "extra": JSON_VALUE,
        },
    ),
    st.fixed_dictionaries({"sender": SAFE_ID, "message": JSON_VALUE}),
    JSON_VALUE,
)


def test_fuzzed_rest_requests(fuzzed: Servers):
    checkpoints = Checkpoints(fuzzed)
    session = requests.Session()

    @fuzz_settings(CASES["rest"])
    @given(body=REST_BODY, headers=HEADERS, raw=st.booleans(), junk=st.binary(max_size=200))
    def case(body, headers: dict, raw: bool, junk: bytes) -> None:
        headers = {k: v for k, v in headers.items() if k != "Content-Type"} if not raw else headers
        if raw:  # not JSON at all, under whatever content type
            response = session.post(fuzzed.url + REST, data=junk, headers=headers, timeout=30)
        else:
            response = session.post(fuzzed.url + REST, json=body, headers=headers, timeout=30)
        assert response.status_code < 500, response.text
        if response.status_code == 200 and isinstance(body, dict) and not raw:
            assert response.json(), "a message got no reply"
        checkpoints.case_done()

    case()
    checkpoints.check()
    print(f"REST: {checkpoints.cases} cases, slowest urgent reply {checkpoints.slowest:.2f} s")


WIDGET_EVENT = st.one_of(
    st.tuples(st.just("user_uttered"), st.fixed_dictionaries({"message": ANY_TEXT})),
    st.tuples(
        st.just("user_uttered"),
        st.fixed_dictionaries(
            {"message": st.one_of(ANY_TEXT, JSON_VALUE)},
            optional={"session_id": JSON_VALUE, "metadata": JSON_VALUE, "customData": JSON_VALUE},
        ),
    ),
    st.tuples(st.just("user_uttered"), JSON_VALUE),
    st.tuples(st.just("session_request"), JSON_VALUE),
    st.tuples(
        st.just("session_request"),
        st.fixed_dictionaries({"session_id": st.one_of(ANY_TEXT, SAFE_ID)}),
    ),
)


def test_fuzzed_widget_events(fuzzed: Servers):
    checkpoints = Checkpoints(fuzzed)
    widget = WidgetClient(fuzzed.url)
    widget.start_session()

    @fuzz_settings(CASES["widget"])
    @given(event=WIDGET_EVENT)
    def case(event: tuple) -> None:
        name, data = event
        if name == "session_request":
            widget.client.emit(name, data)
            assert widget._confirmed.get(timeout=30), "no session confirmed"
        else:
            widget.client.emit(name, data)
            reply = widget.next_reply()  # never silence, whatever was sent
            assert reply.get("text") or reply.get("quick_replies") or reply.get("custom")
            _drain_late_replies(widget)
        assert widget.client.connected
        checkpoints.case_done()

    try:
        case()
    finally:
        widget.close()
    checkpoints.check()
    print(f"Widget: {checkpoints.cases} cases, slowest urgent reply {checkpoints.slowest:.2f} s")


def _drain_late_replies(widget: WidgetClient) -> None:
    """The rest of one message's replies (a greeting sends two), so the next case reads its own."""
    time.sleep(0.01)
    while not widget._replies.empty():
        widget._replies.get_nowait()


# A form field is UTF-8 text: no surrogates.
FORM_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=120)
SMS_FIELDS = st.fixed_dictionaries(
    {"Body": FORM_TEXT},
    optional={
        "MessageSid": st.one_of(FORM_TEXT, st.integers(0, 2**128 - 1).map(lambda n: f"SM{n:032x}")),
        "From": st.one_of(FORM_TEXT, st.from_regex(r"\A\+1508555\d{4}\Z")),
        "To": FORM_TEXT,
        "NumMedia": st.one_of(FORM_TEXT, st.sampled_from(["0", "1", "-1", "99999999999"])),
        "AccountSid": FORM_TEXT,
        "MediaUrl0": FORM_TEXT,
        "FromCity": FORM_TEXT,
        "Extra": FORM_TEXT,
    },
)


def test_fuzzed_signed_sms_forms(fuzzed: Servers):
    checkpoints = Checkpoints(fuzzed)
    session = requests.Session()
    url = fuzzed.url + twilio.PATH
    opted_out: set[str] = set()  # numbers that texted STOP get no answers, as carriers require
    seen: set[str] = set()  # a MessageSid seen before is a retry: it gets the first's reply

    @fuzz_settings(CASES["sms"])
    @given(
        changes=SMS_FIELDS,
        drop=st.sets(st.sampled_from(["MessageSid", "From", "To", "AccountSid", "Body"])),
        headers=HEADERS,
        phone=st.integers(1000, 9999),
    )
    def case(changes: dict, drop: set, headers: dict, phone: int) -> None:
        fields = twilio.twilio_fields(f"+1774555{phone:04d}", "hi")
        for name, value in changes.items():
            fields[name] = [value]
        for name in drop:
            fields.pop(name, None)
        signed = {k: v for k, v in headers.items() if k not in ("Host", "Content-Type")}
        signed["X-Twilio-Signature"] = twilio.sign(url, fields)
        form = [(name, value) for name, values in fields.items() for value in values]
        response = session.post(url, data=form, headers=signed, timeout=30)
        assert response.status_code < 500, response.text
        sender, body = fields.get("From", [""])[0], fields.get("Body", [""])[0].strip()
        sid = fields.get("MessageSid", [""])[0]
        if keyword(body) is Keyword.OPT_OUT:
            opted_out.add(sender)
        elif response.status_code == 200 and body and sender not in opted_out and sid not in seen:
            assert twilio.reply(response), "a text got no reply"
        seen.add(sid)
        checkpoints.case_done()

    case()
    checkpoints.check()
    print(f"SMS: {checkpoints.cases} cases, slowest urgent reply {checkpoints.slowest:.2f} s")
