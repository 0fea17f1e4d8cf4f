"""Recent Twilio MessageSids and the TwiML answered to each: one message, one handling.

Twilio calls the SMS webhook again, with the same MessageSid, when a call got
no answer within 15 s or its connection failed. Without this store the retry
was a new message: Rasa handled it a second time (two turns in the
conversation, an urgent handoff counted twice). Now the first request that
carries a MessageSid claims it and records the TwiML it answered; a request
that finds it claimed sends that same TwiML back, waiting a few seconds if the
first is still being handled (channels/sms/handling.py).

The table is in the conversations' database (BOT_DB_URL, else the tracker
store's SQLite file), so replicas see each other's claims, and the MessageSid
is its primary key: of two replicas racing on one MessageSid, exactly one
inserts it and handles the message; the other waits for its reply. A row
holds Twilio's id for the message (not personal), when it was claimed and the
assistant's own reply: never the phone number nor what the person wrote.
Rows expire after a day (Twilio retries within minutes): each store deletes
expired rows as it goes, at most once an hour, and `make purge` deletes them
too (storage/purge.py).

Nothing in it is particular to SMS but its table's name: another webhook whose
caller retries with an id of its own (a call-back request, say) can use it
the same way.
"""

import asyncio
import logging
import os
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from storage.databases import DB_URL_ENV, open_database

logger = logging.getLogger(__name__)

# Named when the database does not answer at start.
SETTING = "tracker_store db (endpoints.yml)"
# Twilio's retries come within minutes; a day leaves room for any of them.
EXPIRY = timedelta(days=1)
# How often a store deletes the expired rows of every id, not just its own.
PURGE_EVERY = timedelta(hours=1)
# How often a waiting request looks for the first one's reply.
POLL_S = 0.1

_metadata = sa.MetaData()
message_ids = sa.Table(
    "sms_message_ids",
    _metadata,
    sa.Column("message_sid", sa.String(64), primary_key=True),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False, index=True),
    # The TwiML answered; NULL while the first request is being handled.
    sa.Column("reply", sa.Text, nullable=True),
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def tracker_store_database(tracker_store: Any) -> str | None:
    """The SQLAlchemy URL of a Rasa SQL tracker store's database; None for another kind.

    Rasa wraps the store endpoints.yml names (FailSafeTrackerStore, and
    AwaitableTrackerStore for a synchronous one), each keeping the store it
    wraps in `_tracker_store`; the SQL store's engine knows the database.
    """
    for _ in range(5):  # a few wrappers deep at most
        engine = getattr(tracker_store, "engine", None)
        if isinstance(engine, sa.engine.Engine):
            return engine.url.render_as_string(hide_password=False)
        tracker_store = getattr(tracker_store, "_tracker_store", None)
        if tracker_store is None:
            break
    return None


class SmsMessageIds:
    def __init__(self, db: str, setting: str = SETTING) -> None:
        """`db`: a SQLAlchemy URL, or the path of a SQLite file; `setting` names it."""
        self._engine = open_database(db, setting, _metadata)
        self._purged_at: datetime | None = None

    @classmethod
    def beside_conversations(cls, tracker_store: Any) -> "SmsMessageIds":
        """The store in the database of `tracker_store` (the Rasa agent's).

        Conversations kept in memory (no SQL tracker store) get an in-memory
        store as well: it is then this server's own.
        """
        db = tracker_store_database(tracker_store)
        if db is None:
            logger.warning("No SQL tracker store: SMS message ids are kept in memory.")
            return cls("sqlite://")
        return cls(db, DB_URL_ENV if os.environ.get(DB_URL_ENV) else SETTING)

    def claim(self, message_sid: str, now: datetime | None = None) -> bool:
        """True for the first request with this id, which must then record its
        reply; False when another request (here or on another replica) has it."""
        now = now or _now()
        self._purge_now_and_then(now)
        try:
            with self._engine.begin() as connection:
                # An expired claim no longer counts, purged or not.
                connection.execute(
                    message_ids.delete().where(
                        message_ids.c.message_sid == message_sid,
                        message_ids.c.claimed_at < now - EXPIRY,
                    )
                )
                connection.execute(
                    message_ids.insert().values(message_sid=message_sid, claimed_at=now)
                )
        except sa.exc.IntegrityError:
            return False
        return True

    def record_reply(self, message_sid: str, reply: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                message_ids.update()
                .where(message_ids.c.message_sid == message_sid)
                .values(reply=reply)
            )

    def reply(self, message_sid: str) -> str | None:
        """The reply recorded for the id; None while there is none."""
        with self._engine.connect() as connection:
            return connection.execute(
                sa.select(message_ids.c.reply).where(message_ids.c.message_sid == message_sid)
            ).scalar()

    async def wait_for_reply(self, message_sid: str, wait_s: float) -> str | None:
        """The reply recorded for the id, waiting up to `wait_s` seconds for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_s
        while True:
            reply = self.reply(message_sid)
            if reply is not None or loop.time() >= deadline:
                return reply
            await asyncio.sleep(POLL_S)

    def purge_expired(self, now: datetime | None = None) -> int:
        """Deletes the rows older than EXPIRY; returns how many."""
        return _delete_expired(self._engine, now or _now())

    def _purge_now_and_then(self, now: datetime) -> None:
        if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
            self._purged_at = now
            self.purge_expired(now)

    def close(self) -> None:
        self._engine.dispose()


def _delete_expired(engine: sa.engine.Engine, now: datetime) -> int:
    with engine.begin() as connection:
        deleted = connection.execute(
            message_ids.delete().where(message_ids.c.claimed_at < now - EXPIRY)
        )
    return deleted.rowcount


def purge_expired(db_url: str, now: datetime | None = None) -> int:
    """For make purge: deletes the expired rows in `db_url`, if it has the table."""
    engine = sa.create_engine(db_url, future=True)
    try:
        if not sa.inspect(engine).has_table(message_ids.name):
            return 0
        return _delete_expired(engine, now or _now())
    finally:
        engine.dispose()
