"""Which web pages may open the chat: the configured list of allowed origins.

WEBCHAT_ALLOWED_ORIGINS is a comma-separated list such as
"https://lakeavenuerecovery.com,https://www.lakeavenuerecovery.com". "Any
origin" is refused on purpose: a page elsewhere must not be able to run the
widget against our server. An entry without a port means the scheme's default
port, except on loopback hosts, where it means any port, because local
development and the tests run servers on changing ports.
"""

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

ENV_VAR = "WEBCHAT_ALLOWED_ORIGINS"
DEFAULT_ORIGINS = "http://127.0.0.1,http://localhost,http://[::1]"

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class _Origin:
    scheme: str
    host: str
    port: int | None


def _parse(origin: str) -> _Origin:
    """Scheme, host and port of an origin; ValueError if it is not one."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) origin: {origin!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"an origin has no path, query or user: {origin!r}")
    return _Origin(parts.scheme, parts.hostname, parts.port)


class AllowedOrigins:
    """The origins whose pages may use the widget."""

    def __init__(self, entries: str) -> None:
        items = [item.strip() for item in entries.split(",") if item.strip()]
        if not items:
            raise ValueError(f"{ENV_VAR} lists no origin")
        if "*" in items:
            raise ValueError(f"{ENV_VAR} must list the sites, not '*'")
        self._entries = tuple(_parse(item) for item in items)

    @classmethod
    def from_env(cls) -> "AllowedOrigins":
        return cls(os.environ.get(ENV_VAR) or DEFAULT_ORIGINS)

    def allows(self, origin: str | None) -> bool:
        """True if a page from `origin` (an Origin header) may use the widget."""
        try:
            page = _parse(origin or "")
        except ValueError:
            return False
        return any(self._matches(entry, page) for entry in self._entries)

    @staticmethod
    def _matches(entry: _Origin, page: _Origin) -> bool:
        if (entry.scheme, entry.host) != (page.scheme, page.host):
            return False
        if entry.port is None and entry.host in _LOOPBACK_HOSTS:
            return True
        default = _DEFAULT_PORTS[entry.scheme]
        return (entry.port or default) == (page.port or default)
