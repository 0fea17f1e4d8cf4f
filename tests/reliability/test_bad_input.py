"""Odd and malformed input on every channel: a sensible reply or a 4xx, never a 5xx.

Property-based (hypothesis), kept small: a few dozen examples a channel, on
the session's real server. After each batch the server must still answer.
"""

import json
import sqlite3
import uuid

import pytest
import requests
import websocket
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.channels import sms_client as twilio
from tests.conftest import say
from tests.replies import texts
from tools.local_servers import Servers
from tools.widget_client import WidgetClient

# The same examples every run, and no example database left in the work tree.
EXAMPLES = settings(max_examples=25, deadline=None, derandomize=True, database=None)
REST = "/webhooks/rest/webhook"

ODD_TEXTS = [
    "",
    " ",
    " \t\r\n ",
    "a" * 10_000,
    "😀🆘💊🏳️‍🌈" * 40,
    "\x00\x01\x07\x1b[2J\x7f",
    "\u202e\u200b\ufeff",
    "\ud800",  # a lone surrogate: valid JSON ("\\ud800"), no valid UTF-8
    "hi \udfff there",
    "<script>alert(1)</script> {{7*7}} ${x} %s",
]
# Any text at all, surrogates and control characters included.
ANY_TEXT = st.one_of(
    st.sampled_from(ODD_TEXTS),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=300),
)
WRONG_TYPE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
MALFORMED_BODIES = [
    b"",
    b"{",
    b"null",
    b"42",
    b'"hi"',
    b"[]",
    b'[{"sender": "a", "message": "hi"}]',
    b'{"sender": "a"}',
    b'{"message": "hi"}',
    b'{"sender": "   ", "message": "hi"}',
    b'{"sender": "' + b"s" * 256 + b'", "message": "hi"}',
    b'{"sender": "a", "message": "\xc3\x28"}',  # invalid UTF-8
    b'\xff\xfe{"sender": "a", "message": "hi"}',
]


def stored_event_data(servers: Servers, sender: str) -> list[dict]:
    with sqlite3.connect(servers.db) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        return [json.loads(data) for (data,) in rows]


def post_rest(servers: Servers, body: bytes) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    return requests.post(servers.url + REST, data=body, headers=headers, timeout=60)


def still_answers(servers: Servers) -> None:
    assert "not a doctor" in texts(say(servers, f"after-{uuid.uuid4().hex[:8]}", "hi"))


# --- REST ---


def test_any_text_over_rest_gets_a_reply(servers: Servers):
    sender = f"odd-rest-{uuid.uuid4().hex[:8]}"

    @EXAMPLES
    @given(ANY_TEXT)
    def any_text(message: str) -> None:
        response = post_rest(servers, json.dumps({"sender": sender, "message": message}).encode())
        assert response.status_code == 200
        replies = response.json()
        assert replies, "a reply, at least the fallback"
        assert {reply["recipient_id"] for reply in replies} == {sender}

    any_text()
    still_answers(servers)


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_a_malformed_rest_request_gets_400(servers: Servers, body: bytes):
    response = post_rest(servers, body)
    assert response.status_code == 400
    assert "message" in response.json()  # Sanic's error body, no traceback


def test_wrong_types_and_random_bytes_over_rest_get_400(servers: Servers):
    @EXAMPLES
    @given(
        st.one_of(
            st.builds(lambda s: {"sender": s, "message": "hi"}, WRONG_TYPE),
            st.builds(lambda m: {"sender": "wrong-types", "message": m}, WRONG_TYPE),
            WRONG_TYPE,
        ).map(lambda body: json.dumps(body).encode()),
    )
    def wrong_types(body: bytes) -> None:
        assert post_rest(servers, body).status_code == 400

    @EXAMPLES
    @given(st.binary(max_size=300))
    def random_bytes(body: bytes) -> None:
        assert post_rest(servers, body).status_code == 400

    wrong_types()
    random_bytes()
    still_answers(servers)


def test_a_rest_body_over_64_kib_gets_413(servers: Servers):
    body = json.dumps({"sender": "big", "message": "a" * 70_000}).encode()
    assert post_rest(servers, body).status_code == 413
    assert "not a doctor" in texts(say(servers, "after-big", "hi"))


def urgent_reply_still_comes(servers: Servers) -> None:
    replies = say(servers, f"after-{uuid.uuid4().hex[:8]}", "my friend is not breathing")
    assert "911" in texts(replies)


def test_a_lone_surrogate_in_the_sender_is_refused_and_the_server_lives_on(servers: Servers):
    # Regression: this request once ended the Rasa server process (the tracker
    # store's UnicodeEncodeError was taken for a missing PostgreSQL schema).
    body = b'{"sender": "x\\udfff", "message": "hi"}'
    assert post_rest(servers, body).status_code == 400
    assert servers.rasa_process.poll() is None, "the Rasa server process is still running"
    urgent_reply_still_comes(servers)


def test_any_sender_over_rest_gets_a_reply_or_400(servers: Servers):
    @EXAMPLES
    @given(
        st.one_of(
            st.text(alphabet=st.characters(exclude_categories=()), max_size=200),
            st.from_regex(r"[A-Za-z0-9_.:-]{1,128}", fullmatch=True),
        )
    )
    def any_sender(sender: str) -> None:
        response = post_rest(servers, json.dumps({"sender": sender, "message": "hi"}).encode())
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert {reply["recipient_id"] for reply in response.json()} == {sender}

    any_sender()
    assert servers.rasa_process.poll() is None
    urgent_reply_still_comes(servers)


def test_the_caller_cannot_pose_as_another_channel_nor_store_metadata(servers: Servers):
    body = {"sender": "posing", "message": "hi", "input_channel": "twilio", "metadata": {"a": 1}}
    replies = requests.post(servers.url + REST, json=body, timeout=30).json()
    assert "I'm an automated helper" in texts(replies)  # not the SMS variant
    [user] = [event for event in stored_event_data(servers, "posing") if event["event"] == "user"]
    assert user["input_channel"] == "rest" and "a" not in user["metadata"]


# --- the widget's socket.io channel ---


@pytest.fixture
def widget(servers: Servers):
    widget = WidgetClient(servers.url)
    yield widget
    widget.close()


def test_any_text_over_the_widget_socket_gets_a_reply(widget: WidgetClient):
    @settings(EXAMPLES, max_examples=15)
    @given(ANY_TEXT)
    def any_text(message: str) -> None:
        widget.start_session()  # so that no late reply passes for this message's
        reply = widget.say(message)
        # An empty message gets the help lines, never silence.
        assert reply["text"] if message.strip() else "911" in reply["text"]

    any_text()
    widget.start_session()
    assert "not a doctor" in widget.say("hi")["text"]


def test_wrong_types_over_the_widget_socket_get_the_help_lines(widget: WidgetClient):
    @EXAMPLES
    @given(st.one_of(WRONG_TYPE, st.builds(lambda m: {"message": m}, WRONG_TYPE)))
    def wrong_types(data) -> None:
        widget.client.emit("session_request", data)  # a new session: nothing to join
        widget.start_session()
        widget.client.emit("user_uttered", data)
        assert "911" in widget.next_reply()["text"]  # never silence

    wrong_types()
    assert widget.client.connected
    widget.start_session()
    assert "not a doctor" in widget.say("hi")["text"]


@pytest.mark.parametrize(
    "frame",
    [
        "42",
        '42["user_uttered"',
        "42garbage",
        '42["user_uttered",{"message":1}]',
        "4" + "x" * 10_000,
        "9",
        b"\xff\xfe\xc3\x28",  # a text frame that is not UTF-8
    ],
)
def test_a_malformed_socket_frame_does_not_hurt_the_server(servers: Servers, frame):
    socket = websocket.create_connection(
        servers.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
        origin="http://127.0.0.1",
        timeout=10,
    )
    assert socket.recv().startswith("0{")  # engine.io open
    socket.send("40")
    assert socket.recv().startswith("40")  # socket.io connect
    socket.send(frame, opcode=websocket.ABNF.OPCODE_TEXT)
    socket.close()
    other = WidgetClient(servers.url)
    other.start_session()
    assert "not a doctor" in other.say("hi")["text"]
    other.close()


# --- SMS ---

# Fictional numbers (555-0170 to 555-0199), a new one for each conversation.
PHONES = (f"+150855501{n:02d}" for n in range(70, 100))
SMS_TEXT = st.one_of(
    st.sampled_from([text for text in ODD_TEXTS if "\ud800" not in text and "\udfff" not in text]),
    st.text(max_size=300),  # no surrogates: a form field is UTF-8
)


def test_any_signed_sms_body_gets_twiml_or_400(servers: Servers):
    @settings(EXAMPLES, max_examples=15)
    @given(SMS_TEXT)
    def any_body(body: str) -> None:
        response = twilio.post(servers, twilio.twilio_fields(next(PHONES), body))
        if len(body) > 1600:  # Twilio's limit
            assert response.status_code == 400
        else:
            assert response.status_code == 200
            twilio.reply(response)  # well-formed TwiML, at most one message

    any_body()
    assert twilio.text(servers, next(PHONES), "hi")


def test_an_sms_body_that_is_not_utf8_gets_a_reply(servers: Servers):
    phone = next(PHONES)
    fields = twilio.twilio_fields(phone, "\ufffd\ufffd hi")  # how the server reads the bytes
    url = servers.url + twilio.PATH
    body = "&".join(
        f"{name}={requests.utils.quote(values[0], safe='')}"
        for name, values in fields.items()
        if name != "Body"
    )
    response = requests.post(
        url,
        data=body.encode() + b"&Body=%FF%FE+hi",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": twilio.sign(url, fields),
        },
        timeout=30,
    )
    assert response.status_code == 200
    assert twilio.reply(response)


def test_random_bytes_to_the_sms_webhook_get_a_4xx(servers: Servers):
    content_types = st.sampled_from(["application/x-www-form-urlencoded", "text/plain"])

    @EXAMPLES
    @given(st.binary(max_size=300), content_types)
    def random_bytes(body: bytes, content_type: str) -> None:
        response = requests.post(
            servers.url + twilio.PATH, data=body, headers={"Content-Type": content_type}, timeout=30
        )
        assert response.status_code == 403  # unsigned: not read further

    random_bytes()
    assert twilio.text(servers, next(PHONES), "hi")


# --- safety: odd characters must not hide an emergency ---


@pytest.mark.parametrize(
    "message",
    ["i want to kill myself \ud800", "my friend is not breathing\x00", "\ufeffhe overdosed\u200b"],
)
def test_an_urgent_message_with_odd_characters_still_gets_the_urgent_reply(
    servers: Servers, widget: WidgetClient, message: str
):
    replies = say(servers, f"odd-urgent-{uuid.uuid4().hex[:8]}", message)
    assert [r["custom"]["handoff"] for r in replies if "custom" in r] == [True]
    widget.start_session()
    assert widget.say(message)["custom"]["handoff"] is True


# Rasa reads "/intent{...}" text as that intent, past the safety check.
PAYLOAD_SHAPED = '/goodbye{"a":"b"} he took too much and wont wake up'


def test_payload_shaped_text_is_read_as_text_on_every_channel(
    servers: Servers, widget: WidgetClient
):
    replies = say(servers, f"payload-{uuid.uuid4().hex[:8]}", PAYLOAD_SHAPED)
    assert [r["custom"] for r in replies if "custom" in r] == [
        {"handoff": True, "reason": "overdose"}
    ]
    widget.start_session()
    assert widget.say(PAYLOAD_SHAPED)["custom"]["handoff"] is True
    assert (twilio.text(servers, next(PHONES), PAYLOAD_SHAPED) or "").startswith("Call 911")
    # An exact button payload is still a choice.
    assert "Vivitrol" in texts(say(servers, "payload-exact", "/faq/mat_naltrexone"))


@pytest.mark.parametrize("accept", ["0", "text/html;q=x", ";", "a/b/c"])
def test_a_malformed_accept_header_gets_a_4xx_or_a_reply_never_a_500(servers: Servers, accept: str):
    """Sanic read Accept only to format an error, and failed there with a 500."""
    headers = {"Accept": accept}
    assert requests.post(servers.url + REST, data=b"null", headers=headers).status_code == 400
    answered = requests.post(
        servers.url + REST, json={"sender": "accept-check", "message": "hi"}, headers=headers
    )
    assert answered.status_code == 200 and answered.json()
    assert requests.get(servers.url + "/webchat/", headers=headers).status_code == 200
