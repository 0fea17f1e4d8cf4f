"""The handoff audit: how often the urgent lines are needed, without content.

Rasa hands every tracker event to its event broker (endpoints.yml). This
broker keeps only urgent handoffs, the bot messages whose custom payload says
`handoff: true`, and records when, on which channel and for which reason. It
never records the message text or who sent it, so the table can be shared
with the center's staff as it is.

It runs inside the Rasa server, so it counts handoffs on every channel, also
while the action server is down.
"""

import logging
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Dict

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from storage.databases import open_database

logger = logging.getLogger(__name__)

# Named when its database does not answer at start (deploy/ points it at BOT_DB_URL).
SETTING = "event_broker db (endpoints.yml)"
_metadata = sa.MetaData()
handoffs = sa.Table(
    "handoffs",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("category", sa.String(32), nullable=False),
)

# Senders whose last message channel we remember until their reply comes:
# enough for every conversation in flight at once.
_CHANNEL_MEMORY = 10_000


class HandoffAudit(EventBroker):
    def __init__(self, db: str) -> None:
        """`db`: a SQLAlchemy URL, or the path of a SQLite file."""
        self._engine = open_database(db, SETTING, _metadata)
        self._channels: OrderedDict[str, str] = OrderedDict()

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Any | None = None
    ) -> "HandoffAudit":
        return cls(broker_config.kwargs.get("db", "var/handoffs.db"))

    def publish(self, event: Dict[str, Any]) -> None:
        sender = event.get("sender_id", "")
        if event.get("event") == "user":
            self._remember_channel(sender, event.get("input_channel") or "unknown")
            return
        if event.get("event") != "bot":
            return
        custom = (event.get("data") or {}).get("custom") or {}
        if custom.get("handoff") is True:
            self.record(self._channels.get(sender, "unknown"), str(custom.get("reason")))

    def record(self, channel: str, category: str, at: datetime | None = None) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                handoffs.insert().values(
                    occurred_at=at or datetime.now(timezone.utc),
                    channel=channel,
                    category=category,
                )
            )
        logger.info("Urgent handoff recorded: channel=%s category=%s", channel, category)

    def _remember_channel(self, sender: str, channel: str) -> None:
        self._channels[sender] = channel
        self._channels.move_to_end(sender)
        while len(self._channels) > _CHANNEL_MEMORY:
            self._channels.popitem(last=False)

    def is_ready(self) -> bool:
        return True

    async def close(self) -> None:
        self._engine.dispose()
