"""The conversation id of a phone number: a keyed hash, never the number.

HMAC-SHA256 with a secret key (SMS_SENDER_KEY): the same number always finds
its conversation again, but without the key nobody can test the hashes
against the few billion possible phone numbers.
"""

import hashlib
import hmac

PREFIX = "sms-"


def normalize(phone: str) -> str:
    """The number as Twilio writes it (E.164, "+15085550123"), whatever the
    spacing, so one phone never gets two ids."""
    return "".join(ch for ch in phone if ch.isalnum() or ch in "+:").lower()


def sender_id(phone: str, key: str) -> str:
    digest = hmac.new(key.encode(), normalize(phone).encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest
