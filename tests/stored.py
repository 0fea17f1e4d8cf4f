"""What the tracker store wrote, read straight from its database (SQLite or PostgreSQL)."""

import json
from pathlib import Path

import sqlalchemy as sa


def database_url(db: Path | str) -> str:
    return db if isinstance(db, str) else f"sqlite:///{db}"


def query(db: Path | str, sql: str, **params: str) -> list[tuple]:
    """The rows of one SELECT on the tracker store's database."""
    engine = sa.create_engine(database_url(db), future=True)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def stored_events(db: Path | str, sender: str) -> list[tuple[str, str]]:
    """(type, intent or action name) of a conversation's events, in the order stored."""
    return query(
        db,
        "SELECT type_name, COALESCE(intent_name, action_name, '') FROM events "
        "WHERE sender_id = :sender ORDER BY id",
        sender=sender,
    )


def user_texts(db: Path | str, sender: str) -> list[str]:
    """What a sender said, as stored, in order."""
    rows = query(
        db,
        "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id",
        sender=sender,
    )
    return [json.loads(data)["text"] for (data,) in rows]


def user_intents(db: Path | str, sender: str) -> list[str]:
    return [name for kind, name in stored_events(db, sender) if kind == "user"]


def session_starts(db: Path | str, sender: str) -> int:
    return sum(1 for kind, _ in stored_events(db, sender) if kind == "session_started")
