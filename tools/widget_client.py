"""The widget's socket.io client as it runs behind the proxy in deploy/: websocket only.

Used by the tests and by make load, in plain threads: python-socketio's
asyncio client needs a newer aiohttp than Rasa allows for websockets.
"""

import queue

import socketio

WAIT = 30  # seconds for the server to answer (a waiting limit, not a timing check)


class WidgetClient:
    def __init__(self, url: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self._replies: queue.Queue = queue.Queue()
        self._confirmed: queue.Queue = queue.Queue()
        self.client.on("bot_uttered", self._replies.put)
        self.client.on("session_confirm", self._confirmed.put)
        # websocket-client sends the page's origin itself (http://127.0.0.1:port).
        self.client.connect(url, transports=["websocket"], socketio_path="/socket.io")

    def start_session(self, session_id: str | None = None) -> str:
        """Joins a session (a new one for None) and returns its id."""
        _drain(self._confirmed)
        self.client.emit("session_request", {"session_id": session_id})
        confirmed = self._confirmed.get(timeout=WAIT)
        _drain(self._replies)  # replies to the last session's messages
        return confirmed

    def say(self, text: str) -> dict:
        """Sends a message; returns the first reply to it."""
        self.client.emit("user_uttered", {"message": text})
        return self.next_reply()

    def next_reply(self) -> dict:
        return self._replies.get(timeout=WAIT)

    def close(self) -> None:
        self.client.disconnect()


def _drain(waiting: queue.Queue) -> None:
    while not waiting.empty():
        waiting.get_nowait()
