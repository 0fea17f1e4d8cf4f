"""make purge DAYS=30: delete conversations nobody has written in for N days.

A conversation is deleted whole (every event of its sender) once its latest
event is older than the cut-off, so no half-conversations are left behind.
The database is the tracker store's: BOT_DB_URL, else var/conversations.db.
The SMS message ids kept there for Twilio's retries go after a day
(storage/sms_message_ids.py), whatever DAYS says. Call-back requests follow
their own rules (storage/callbacks.py), whatever DAYS says: a number held for
a request never finished goes after a day, a request 14 days after it was
marked done, and any request 30 days after it was made.
"""

import argparse
import os
import time

import sqlalchemy as sa
from sqlalchemy.engine.url import make_url

from storage import sms_message_ids
from storage.callbacks import CallbackQueue
from storage.databases import DB_URL_ENV, conversations_url
from storage.startup_checks import StoreUnreachable, check_database

RETENTION_DAYS = 30


def purge(db_url: str, days: int, now: float | None = None) -> int:
    """Deletes conversations idle for `days` days; returns how many."""
    cutoff = (now or time.time()) - days * 86400
    events = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))
    engine = sa.create_engine(db_url, future=True)
    with engine.begin() as connection:
        stale = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        senders = [row[0] for row in connection.execute(stale)]
        if senders:
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(senders)))
    engine.dispose()
    return len(senders)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=RETENTION_DAYS)
    args = parser.parse_args()
    db_url = conversations_url()
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and not os.path.exists(url.database or ""):
        print("No conversations stored yet.")
        return
    try:
        check_database(db_url, DB_URL_ENV)
    except StoreUnreachable as error:
        raise SystemExit(f"ERROR: {error}") from None
    deleted = purge(db_url, args.days)
    print(f"Deleted {deleted} conversation(s) idle for more than {args.days} days.")
    expired = sms_message_ids.purge_expired(db_url)
    if expired:
        print(f"Deleted {expired} SMS message id(s) older than a day.")
    queue = CallbackQueue(db_url, None)  # deleting needs no key
    callbacks = queue.purge()
    queue.close()
    if callbacks.total:
        print(
            f"Deleted {callbacks.total} call-back request(s): {callbacks.done} done more than "
            f"14 days ago, {callbacks.expired} made more than 30 days ago, {callbacks.held} "
            "number(s) held for a request never finished."
        )


if __name__ == "__main__":
    main()
