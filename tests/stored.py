"""What the tracker store wrote, read straight from its database (SQLite or PostgreSQL)."""

from pathlib import Path

import sqlalchemy as sa


def database_url(db: Path | str) -> str:
    return db if isinstance(db, str) else f"sqlite:///{db}"


def stored_events(db: Path | str, sender: str) -> list[tuple[str, str]]:
    """(type, intent or action name) of a conversation's events, in the order stored."""
    engine = sa.create_engine(database_url(db), future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT type_name, COALESCE(intent_name, action_name, '') FROM events "
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": sender},
            )
            return [(kind, name) for kind, name in rows]
    finally:
        engine.dispose()


def user_intents(db: Path | str, sender: str) -> list[str]:
    return [name for kind, name in stored_events(db, sender) if kind == "user"]


def session_starts(db: Path | str, sender: str) -> int:
    return sum(1 for kind, _ in stored_events(db, sender) if kind == "session_started")
