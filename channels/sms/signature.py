"""Is this request from Twilio? The X-Twilio-Signature check.

Twilio signs the URL it called plus the form fields with the account's auth
token. Behind a proxy the server sees another URL than Twilio called, so the
public URL is configurable (TWILIO_WEBHOOK_URL).
"""

from sanic.request import Request, RequestParameters
from twilio.request_validator import RequestValidator

HEADER = "X-Twilio-Signature"


def signed_url(request: Request, public_url: str | None) -> str:
    """The URL Twilio signed: the public one with this request's query string."""
    if not public_url:
        return request.url
    return f"{public_url}?{request.query_string}" if request.query_string else public_url


def is_signed(
    request: Request, fields: RequestParameters, auth_token: str, public_url: str | None
) -> bool:
    signature = request.headers.get(HEADER)
    if not signature:
        return False
    return RequestValidator(auth_token).validate(signed_url(request, public_url), fields, signature)
