"""The website chat widget's channel: socket.io with session persistence.

Rasa's SocketIOInput, changed where the widget needs it:
- only pages from WEBCHAT_ALLOWED_ORIGINS may connect (Rasa allows any origin);
- sessions always persist: the widget keeps the session token the server
  issued (sessions.py) in sessionStorage, presents it again after a reload or
  a reconnect, and the socket joins that conversation's room, so replies reach
  the tab that asked. A token the server did not issue gets a new, empty
  conversation. Messages are taken for the socket's bound conversation only,
  and a message without one (or malformed) gets a reply, never silence;
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
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint
from socketio import AsyncServer

from channels.never_silent import never_silent, no_reply_text
from channels.safe_input import clean_text, tolerate_malformed_accept
from channels.webchat.assets import add_asset_routes
from channels.webchat.origins import AllowedOrigins
from channels.webchat.output import CHANNEL_NAME, WebchatOutput
from channels.webchat.sessions import SessionTokens

logger = logging.getLogger(__name__)

# What a socket that sent no valid session or message is told.
NO_SESSION_TEXT = "Please reload the page to start the chat again."
# Longer messages are cut: the widget's input allows this many characters.
MAX_MESSAGE_CHARS = 1000
# The widget's greeting names the page's language, so that a Spanish page is
# greeted in Spanish. The channel, not the visitor, adds the language entity:
# clean_text strips any "/intent{...}" a visitor sends.
GREETING = "/greet"
GREETING_LANGUAGES = frozenset({"es"})


def greeting_in(text: str, language: Any) -> str:
    """The widget's greeting in the page's language ("/greet" with a `language`
    entity, which sets the conversation's language slot); any other text as is."""
    if text == GREETING and language in GREETING_LANGUAGES:
        return f'{GREETING}{{"language": "{language}"}}'
    return text


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
        tokens = SessionTokens.from_env()
        origins = AllowedOrigins.from_env()
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origins.allows)
        self.sio = sio
        webchat = SocketBlueprint(sio, self.socketio_path, CHANNEL_NAME)
        add_asset_routes(webchat, origins, self.socketio_path)
        tolerate_malformed_accept(webchat)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = tokens.conversation_of(requested)
            token = requested
            if session_id is None:
                token, session_id = tokens.issue()
            async with sio.session(sid) as session:
                previous = session.get("session_id")
                if previous and previous != session_id:
                    # "Clear conversation" starts a new session on the same socket.
                    await _settle(sio.leave_room(sid, previous))
                session["session_id"] = session_id
            await _settle(sio.enter_room(sid, session_id))
            await sio.emit("session_confirm", token, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any = None) -> None:
            session_id = (await sio.get_session(sid)).get("session_id")
            text = data.get("message") if isinstance(data, dict) else None
            if not session_id or not isinstance(text, str) or not text.strip():
                # Never silence: the person still gets the ways to reach help.
                logger.warning("A webchat message without a session or text got the help lines.")
                reply = no_reply_text() if session_id else f"{NO_SESSION_TEXT} {no_reply_text()}"
                await sio.emit(self.bot_message_evt, {"text": reply}, room=sid)
                return
            await on_new_message(
                UserMessage(
                    greeting_in(clean_text(text, MAX_MESSAGE_CHARS), data.get("language")),
                    WebchatOutput(sio, self.bot_message_evt),
                    session_id,
                    input_channel=self.name(),
                )
            )

        return webchat
