"""Who asked not to be texted (STOP), by hashed sender id only.

The opt-out must outlive the conversation (a new session or a restart must
not text them again), so it has its own table rather than a slot.
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.sql import Select

from storage.databases import open_database

_metadata = sa.MetaData()
optouts = sa.Table(
    "sms_optouts",
    _metadata,
    sa.Column("sender_id", sa.String(80), primary_key=True),
    sa.Column("opted_out_at", sa.DateTime(timezone=True), nullable=False),
)


def _row(sender_id: str) -> Select:
    return sa.select(optouts.c.sender_id).where(optouts.c.sender_id == sender_id)


class OptOuts:
    def __init__(self, db: str, setting: str = "SMS_OPTOUT_DB") -> None:
        """`db`: a SQLAlchemy URL, or the path of a SQLite file; `setting` names it."""
        self._engine = open_database(db, setting, _metadata)

    def is_opted_out(self, sender_id: str) -> bool:
        with self._engine.connect() as connection:
            return connection.execute(_row(sender_id)).first() is not None

    def opt_out(self, sender_id: str) -> None:
        # A repeated STOP keeps the first date.
        with self._engine.begin() as connection:
            if connection.execute(_row(sender_id)).first():
                return
            connection.execute(
                optouts.insert().values(
                    sender_id=sender_id, opted_out_at=datetime.now(timezone.utc)
                )
            )

    def opt_in(self, sender_id: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(optouts.delete().where(optouts.c.sender_id == sender_id))
