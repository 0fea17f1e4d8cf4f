"""Twilio's side of the SMS webhook, for the tests: signed form posts, TwiML read back."""

import uuid
import xml.etree.ElementTree as ET

import requests
from twilio.request_validator import RequestValidator

from channels.sms.channel import sender_id
from tools.local_servers import TEST_ENV, Servers

PATH = "/webhooks/twilio/webhook"
TOKEN = TEST_ENV["TWILIO_AUTH_TOKEN"]
CENTER_NUMBER = "+15085550100"


class Fields(dict):
    """Form fields, each with a list of values, as Twilio's validator reads a MultiDict."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def message_sid() -> str:
    """A new id of Twilio's shape: each message has its own; a retry repeats it."""
    return "SM" + uuid.uuid4().hex


def twilio_fields(phone: str, body: str, sid: str | None = None) -> Fields:
    """What Twilio posts for an incoming SMS, location fields included; a new
    MessageSid unless `sid` is given."""
    return Fields(
        {
            "MessageSid": [sid or message_sid()],
            "AccountSid": ["AC" + "1" * 32],
            "From": [phone],
            "To": [CENTER_NUMBER],
            "Body": [body],
            "NumMedia": ["0"],
            "FromCity": ["WORCESTER"],
            "FromState": ["MA"],
            "FromZip": ["01609"],
            "FromCountry": ["US"],
        }
    )


def sign(url: str, fields: Fields, token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, fields)


def post(
    servers: Servers,
    fields: Fields,
    signature: str | None = None,
    *,
    signed: bool = True,
) -> requests.Response:
    """Posts the fields as Twilio does; signed with the test token unless told otherwise."""
    url = servers.url + PATH
    headers = {}
    if signed:
        headers["X-Twilio-Signature"] = signature or sign(url, fields)
    data = [(name, value) for name, values in fields.items() for value in values]
    return requests.post(url, data=data, headers=headers, timeout=30)


def text(servers: Servers, phone: str, body: str) -> str | None:
    """One SMS to the center; the reply's text, or None when there is none."""
    response = post(servers, twilio_fields(phone, body))
    assert response.status_code == 200, response.text
    return reply(response)


def reply(response: requests.Response) -> str | None:
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.text)
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1, "one SMS a turn"
    return messages[0].text if messages else None


def menu_digit(sms: str | None, title: str) -> str:
    """The digit an SMS menu offers for a choice: its "N Title" line. The test
    then sends what a person reading that menu would, whatever its order."""
    for line in (sms or "").splitlines():
        digit, _, rest = line.partition(" ")
        if digit.isdigit() and rest.startswith(title):
            return digit
    raise AssertionError(f"no {title!r} line in the SMS menu: {sms!r}")


def conversation_id(phone: str) -> str:
    return sender_id(phone, TEST_ENV["SMS_SENDER_KEY"])
