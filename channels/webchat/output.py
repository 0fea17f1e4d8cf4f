"""Bot responses as the widget shows them: one socket.io event per response.

Rasa's SocketIOOutput splits a response into several events and emits a
custom payload with the payload's keys as keyword arguments of `emit`, which
fails for our handoff payload ({"handoff": true, "reason": ...}). The widget
needs the text, its quick replies, the handoff and the sources of one response
together, so this output channel sends them as one message.

Each message also names its language when the response shows it, so the
widget's own strings (its buttons, labels, banners) follow the conversation's.
"""

from typing import Any, Dict, List

from rasa.core.channels.socketio import SocketIOOutput

from center.sources import SOURCES
from safety.categories import LANGUAGE_SLOT

CHANNEL_NAME = "webchat"


def _quick_replies(response: Dict[str, Any]) -> List[Dict[str, str]]:
    buttons = response.get("quick_replies") or response.get("buttons") or []
    return [
        {"title": str(button["title"]), "payload": str(button["payload"])}
        for button in buttons
        if button.get("title") and button.get("payload")
    ]


def _handoff(response: Dict[str, Any]) -> Dict[str, Any] | None:
    """The urgent handoff's or the check-in's payload, and nothing else of `custom`."""
    custom = response.get("custom")
    if not isinstance(custom, dict):
        return None
    for kind in ("handoff", "check_in"):
        if custom.get(kind) is True:
            return {kind: True, "reason": str(custom.get("reason", ""))}
    return None


def _sources(response: Dict[str, Any]) -> List[str]:
    """The titles of the sources a curated answer cites (keys of center.sources)."""
    metadata = response.get("metadata")
    keys = metadata.get("sources") if isinstance(metadata, dict) else None
    return [SOURCES.get(key, str(key)) for key in keys or []]


def response_language(response: Dict[str, Any]) -> str | None:
    """The language a response is in: the `language` its variant's condition
    names (domain.yml: every Spanish variant has one), or "en" for a domain
    response's default variant. None for a text an action wrote itself, whose
    language the response does not show: the widget then keeps its own."""
    for condition in response.get("condition") or []:
        if isinstance(condition, dict) and condition.get("name") == LANGUAGE_SLOT:
            return str(condition.get("value") or "en")
    return "en" if response.get("utter_action") else None


def widget_message(response: Dict[str, Any]) -> Dict[str, Any]:
    """The event the widget renders for one bot response (see static/widget.js)."""
    message: Dict[str, Any] = {"text": str(response.get("text") or "")}
    quick_replies = _quick_replies(response)
    if quick_replies:
        message["quick_replies"] = quick_replies
    handoff = _handoff(response)
    if handoff:
        message["custom"] = handoff
    sources = _sources(response)
    if sources:
        message["metadata"] = {"sources": sources}
    return message


class WebchatOutput(SocketIOOutput):
    """Sends each response to the conversation's room (every tab of the session)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        widget = widget_message(message)
        if widget["text"] or "custom" in widget or "quick_replies" in widget:
            language = response_language(message)
            if language:
                widget["language"] = language
            await self._send_message(recipient_id, widget)
