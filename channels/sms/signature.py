"""Is this request from Twilio? The X-Twilio-Signature check.

Twilio signs the URL it called plus the form fields with the account's auth
token. Behind a proxy the server sees another URL than Twilio called, so the
public URL is configurable (TWILIO_WEBHOOK_URL). Without it the URL is built
from the Host the request claims, which a replayed request can choose: so
then only requests to a loopback host (a server tried on this machine) are
checked at all, and any other is refused.
"""

import ipaddress
from urllib.parse import urlsplit

from sanic.request import Request, RequestParameters
from twilio.request_validator import RequestValidator

HEADER = "X-Twilio-Signature"


def signed_url(request: Request, public_url: str | None) -> str:
    """The URL Twilio signed: the public one with this request's query string."""
    if not public_url:
        return request.url
    return f"{public_url}?{request.query_string}" if request.query_string else public_url


def _loopback(host: str) -> bool:
    name = urlsplit(f"//{host}").hostname or ""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def trusts_host(request: Request, public_url: str | None) -> bool:
    """Whether the signed URL can be trusted: the public one is set, or the
    request is to this machine."""
    return bool(public_url) or _loopback(request.host or "")


def is_signed(
    request: Request, fields: RequestParameters, auth_token: str, public_url: str | None
) -> bool:
    signature = request.headers.get(HEADER)
    if not signature or not trusts_host(request, public_url):
        return False
    return RequestValidator(auth_token).validate(signed_url(request, public_url), fields, signature)
