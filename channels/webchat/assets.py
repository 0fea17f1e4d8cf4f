"""The widget's files and its config, served by the Rasa server under /webchat/.

Everything a visitor's browser loads comes from this server: widget.js and
widget.css, socket.io-client from node_modules (installed by
tools/webchat_assets.sh from the lock file; no CDN), the demo page (/webchat/),
the neutral page the quick exit goes to (/webchat/exit.html), and config.json
with the center's facts from center/facts.py (the helpline is written only in
domain.yml).
"""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Dict

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from center.facts import center_name, helpline, helpline_tel
from channels.webchat.origins import AllowedOrigins

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"

# No referrer leaves our pages, nothing is sniffed, and our pages load only
# from this server (the socket included) and cannot be framed.
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
PAGE_HEADERS = {
    **COMMON_HEADERS,
    "Content-Security-Policy": (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
}
HTML = "text/html; charset=utf-8"
JS = "text/javascript; charset=utf-8"


@dataclass(frozen=True)
class _File:
    path: Path
    mime_type: str
    headers: Dict[str, str]


# Route under /webchat -> what it serves. Only these files are served.
FILES = {
    "/": _File(STATIC / "index.html", HTML, PAGE_HEADERS),
    "/exit.html": _File(STATIC / "exit.html", HTML, PAGE_HEADERS),
    "/widget.js": _File(STATIC / "widget.js", JS, COMMON_HEADERS),
    "/widget.css": _File(STATIC / "widget.css", "text/css; charset=utf-8", COMMON_HEADERS),
    "/vendor/socket.io.min.js": _File(SOCKET_IO_CLIENT, JS, COMMON_HEADERS),
}


def add_asset_routes(blueprint: Blueprint, origins: AllowedOrigins, socketio_path: str) -> None:
    """Adds the widget's routes to the channel's blueprint (mounted at /webchat)."""
    if not SOCKET_IO_CLIENT.exists():
        # The other channels keep working; the widget cannot until this is fixed.
        logger.error("%s is missing: run tools/webchat_assets.sh", SOCKET_IO_CLIENT)

    def cors(request: Request) -> Dict[str, str]:
        # widget.js on an allowed site reads config.json across origins.
        origin = request.headers.get("origin")
        if origins.allows(origin):
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {"Vary": "Origin"}

    @blueprint.route("/config.json", methods=["GET"])
    async def config(request: Request) -> HTTPResponse:
        body = {
            "centerName": center_name(),
            "helpline": helpline(),
            "helplineTel": helpline_tel(),
            "socketioPath": socketio_path,
        }
        return response.json(body, headers={**COMMON_HEADERS, **cors(request)})

    def add_file_route(route: str, file: _File) -> None:
        async def serve(_: Request) -> HTTPResponse:
            if not file.path.exists():
                return response.text("Not found", status=404, headers=COMMON_HEADERS)
            return await response.file(file.path, headers=file.headers, mime_type=file.mime_type)

        name = "file_" + "".join(ch if ch.isalnum() else "_" for ch in route)
        blueprint.add_route(serve, route, methods=["GET"], name=name)

    for route, file in FILES.items():
        add_file_route(route, file)
