"""The action server: `python -m actions --port 5055`.

Rasa SDK's action server runs any action for any caller that reaches its port,
and an action reads the whole conversation it is sent. This one answers only
the Rasa server: every call must carry the shared secret ACTION_SERVER_TOKEN in
the X-Action-Token header, which the Rasa server sends from its endpoints file
(`headers:` under `action_endpoint`; tools/local_servers.py writes it for
`make run`, `make shell` and the tests, deploy/endpoints.yml reads it from the
environment). Without the variable every call is refused, never accepted: a
missing secret must not open the server. /health stays open for probes.
"""

import argparse
import hmac
import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_ENV = "ACTION_SERVER_TOKEN"
HEADER = "X-Action-Token"
# Loopback unless a container sets ACTION_SERVER_HOST=0.0.0.0.
HOST_ENV = "ACTION_SERVER_HOST"

logger = logging.getLogger(__name__)


def action_server(token: str | None) -> Sanic:
    """Rasa SDK's app for the actions package, closed to calls without `token`."""
    # No browser ever calls the action server: allow no cross-origin requests.
    app = create_app("actions", cors_origins="")

    @app.middleware("request")
    async def require_the_secret(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        sent = request.headers.get(HEADER, "")
        if token and hmac.compare_digest(sent.encode(), token.encode()):
            return None
        return response.json({"error": f"{HEADER} missing or wrong"}, status=401)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    token = os.environ.get(TOKEN_ENV) or None
    if token is None:
        logger.error("%s is not set: every action call will be refused (401).", TOKEN_ENV)
    host = os.environ.get(HOST_ENV, "127.0.0.1")
    logger.info("Action server on http://%s:%d", host, args.port)
    # access_log off: a request line is harmless, but nothing here needs it.
    action_server(token).run(host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
