"""Widget session ids the server issues: an unguessable id with its signature.

A tab's conversation must belong to that tab. The widget once chose its own
session id and the server accepted any 32 hex digits, so a socket that
presented a copied or invented id joined that conversation and received its
replies. Now the server issues `<id>.<signature>` (HMAC-SHA256 with
WEBCHAT_SESSION_KEY) in `session_confirm`, and a socket presenting anything
else gets a new, empty conversation. The conversation id (the tracker's sender
id and the socket room) is the `<id>` part.

Replicas must share the key to honour each other's sessions. Without it, each
server makes a key of its own at start: sessions then last as long as that
server process (one is logged once).
"""

import hashlib
import hmac
import logging
import os
import secrets

logger = logging.getLogger(__name__)

KEY_ENV = "WEBCHAT_SESSION_KEY"
_ID_BYTES = 16
_SIGNATURE_HEX = 32


class SessionTokens:
    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_env(cls) -> "SessionTokens":
        key = os.environ.get(KEY_ENV, "")
        if not key:
            logger.warning(
                "%s is not set: widget sessions last only as long as this server process.",
                KEY_ENV,
            )
            return cls(secrets.token_bytes(32))
        return cls(key.encode())

    def _sign(self, conversation_id: str) -> str:
        digest = hmac.new(self._key, conversation_id.encode(), hashlib.sha256).hexdigest()
        return digest[:_SIGNATURE_HEX]

    def issue(self) -> tuple[str, str]:
        """A new (token, conversation id)."""
        conversation_id = secrets.token_hex(_ID_BYTES)
        return f"{conversation_id}.{self._sign(conversation_id)}", conversation_id

    def conversation_of(self, token: object) -> str | None:
        """The conversation id of a token this server issued, else None."""
        if not isinstance(token, str) or token.count(".") != 1:
            return None
        conversation_id, signature = token.split(".")
        if len(conversation_id) != 2 * _ID_BYTES or not all(
            c in "0123456789abcdef" for c in conversation_id
        ):
            return None
        return (
            conversation_id if hmac.compare_digest(signature, self._sign(conversation_id)) else None
        )
