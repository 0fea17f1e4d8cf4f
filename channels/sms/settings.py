"""The SMS channel's settings, read from the environment variables that
credentials.yml names.

The secrets may be missing (a laptop running `make run`): the channel then
still loads, and `missing` says which ones, so every request is refused.
"""

import os
from dataclasses import dataclass
from typing import Any

# Opt-outs go to a SQLite file beside the conversations unless the
# environment names another database.
DEFAULT_OPTOUT_DB = "var/sms_optouts.db"


@dataclass(frozen=True)
class SmsSettings:
    auth_token: str | None
    sender_key: str | None
    # The webhook's URL as Twilio calls it, when a proxy stands in front of
    # the server; None: the URL the request arrived at.
    public_url: str | None
    optout_db: str
    # The variable names, to say which secret is missing.
    auth_token_env: str
    sender_key_env: str
    optout_db_env: str

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any]) -> "SmsSettings":
        def env(key: str) -> str | None:
            return os.environ.get(credentials[key], "").strip() or None

        return cls(
            auth_token=env("auth_token_env"),
            sender_key=env("sender_key_env"),
            public_url=env("public_url_env"),
            optout_db=env("optout_db_env") or DEFAULT_OPTOUT_DB,
            auth_token_env=credentials["auth_token_env"],
            sender_key_env=credentials["sender_key_env"],
            optout_db_env=credentials["optout_db_env"],
        )

    @property
    def missing(self) -> list[str]:
        """The secrets without which no request can be trusted or stored."""
        return [
            name
            for name, value in (
                (self.auth_token_env, self.auth_token),
                (self.sender_key_env, self.sender_key),
            )
            if not value
        ]
