"""The website chat widget's channel: socket.io with session persistence.

Rasa's SocketIOInput, changed where the widget needs it:
- only pages from WEBCHAT_ALLOWED_ORIGINS may connect (Rasa allows any origin);
- sessions always persist: the widget keeps its session id in sessionStorage,
  asks for it again after a reload or a reconnect, and the socket joins that
  session's room, so replies reach the tab that asked. The session id is
  bound to the socket by `session_request`; messages are taken for the bound
  session only, so a socket cannot write into a conversation it did not join;
- one event per bot response (output.py), so quick replies, the urgent
  handoff and the sources arrive with their text;
- the widget's files and config are served from this blueprint at /webchat/.

python-socketio is pinned to 5.9.0 for Rasa's own socketio handler, which calls
`enter_room` without awaiting it (a coroutine from 5.10 on). This channel
awaits `enter_room`/`leave_room` when they return a coroutine, so it is
correct on either side of that change.
"""

import inspect
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint
from socketio import AsyncServer

from channels.never_silent import never_silent
from channels.safe_input import clean_text
from channels.webchat.assets import add_asset_routes
from channels.webchat.origins import AllowedOrigins
from channels.webchat.output import CHANNEL_NAME, WebchatOutput

logger = logging.getLogger(__name__)

# Session ids are the widget's uuid4().hex; anything else gets a new one.
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
# Longer messages are cut: the widget's input allows this many characters.
MAX_MESSAGE_CHARS = 1000


async def _settle(result: Any) -> None:
    """Awaits python-socketio's room calls where they are coroutines (5.10+)."""
    if inspect.isawaitable(result):
        await result


class WebchatInput(SocketIOInput):
    """Socket.io input for the widget at /webchat/ (socket at `socketio_path`)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            session_persistence=True,
        )

    def url_prefix(self) -> str:
        # Absolute, so Rasa mounts the blueprint at /webchat, not /webhooks/webchat.
        return "/" + CHANNEL_NAME

    def get_output_channel(self) -> OutputChannel | None:
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = never_silent(on_new_message)
        origins = AllowedOrigins.from_env()
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origins.allows)
        self.sio = sio
        webchat = SocketBlueprint(sio, self.socketio_path, CHANNEL_NAME)
        add_asset_routes(webchat, origins, self.socketio_path)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            valid = isinstance(requested, str) and _SESSION_ID.match(requested)
            session_id = requested if valid else uuid.uuid4().hex
            async with sio.session(sid) as session:
                previous = session.get("session_id")
                if previous and previous != session_id:
                    # "Clear conversation" starts a new session on the same socket.
                    await _settle(sio.leave_room(sid, previous))
                session["session_id"] = session_id
            await _settle(sio.enter_room(sid, session_id))
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any) -> None:
            session_id = (await sio.get_session(sid)).get("session_id")
            text = data.get("message") if isinstance(data, dict) else None
            if not session_id or not isinstance(text, str) or not text.strip():
                logger.warning("Ignored a webchat message without a session or text.")
                return
            await on_new_message(
                UserMessage(
                    clean_text(text, MAX_MESSAGE_CHARS),
                    WebchatOutput(sio, self.bot_message_evt),
                    session_id,
                    input_channel=self.name(),
                )
            )

        return webchat
