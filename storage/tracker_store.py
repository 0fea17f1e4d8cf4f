"""The SQL tracker store, with what identifies a person removed before saving.

Rasa's SQLTrackerStore writes each event as JSON. This subclass hands it
copies of the user's messages with phone numbers, emails, ids, dates and
addresses replaced (see storage/redaction.py) and the NLU's reading cut to what
is used; the NLU has already read the original in memory, and the bot's own
messages (which name the helpline) are stored as they are.

The database is chosen by the environment: BOT_DB_URL (a SQLAlchemy URL such
as postgresql://user@host/db) when set, else the SQLite file of endpoints.yml.
A BOT_DB_URL that does not answer stops the server at start (startup_checks.py).
"""

import contextlib
import copy
import os
from typing import Any, Generator, Iterator

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine.url import make_url

from nlu_components.topics import selected_topic
from storage import log_redaction
from storage.databases import DB_URL_ENV
from storage.redaction import redact
from storage.startup_checks import check_database, require

log_redaction.install()


def redacted(event: Any) -> Any:
    """The user's message as it may be stored: its text redacted, and of the NLU's
    reading only what the conversation and the review report use (the intent,
    the chosen topic, the safety verdict): no candidate answers, no ranking, no
    entity offsets into the text before redaction."""
    if not isinstance(event, UserUttered):
        return event
    clean = copy.copy(event)
    clean.text = redact(event.text) if event.text else event.text
    parse = event.parse_data or {}
    intent = parse.get("intent") or {}
    kept: dict[str, Any] = {
        "intent": {
            key: intent[key]
            for key in ("name", "confidence", "full_retrieval_intent_name")
            if key in intent
        },
        "text": clean.text,
    }
    topic = selected_topic(parse)
    if topic:
        kept["intent"]["full_retrieval_intent_name"] = topic
    safety = parse.get("safety")
    if safety:
        kept["safety"] = {"verdict": safety.get("verdict"), "category": safety.get("category")}
    clean.parse_data = kept
    return clean


def connection_settings(db_url: str) -> dict[str, Any]:
    """SQLTrackerStore's keyword arguments for a SQLAlchemy URL."""
    url = make_url(db_url)
    return {
        "dialect": url.drivername,
        "host": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
        "password": url.password,
        "query": dict(url.query),
    }


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Domain | None = None,
        event_broker: EventBroker | None = None,
        **settings: Any,
    ) -> None:
        db_url = os.environ.get(DB_URL_ENV)
        if db_url:
            # Rasa would fall back to memory if it is down; stop with a clear error instead.
            require(check_database, db_url, DB_URL_ENV)
            settings = {**settings, **connection_settings(db_url)}
        super().__init__(domain=domain, event_broker=event_broker, **settings)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's session scope, without its exit on any ValueError.

        Rasa reads every ValueError raised while a session is open as "the
        PostgreSQL schema is missing" and exits the process: one message that
        fails to encode (a UnicodeEncodeError is a ValueError) would stop the
        server for everyone. Only the schema check may end the process; any
        other error fails the one message that raised it.
        """
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as missing_schema:
                raise SystemExit(
                    f"The PostgreSQL schema {missing_schema} does not exist."
                ) from None
            yield session
        finally:
            session.close()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        return (redacted(event) for event in super()._additional_events(session, tracker))

    @staticmethod
    def get_db_url(
        dialect: str = "sqlite",
        host: str | None = None,
        port: int | None = None,
        db: str = "rasa.db",
        username: str | None = None,
        password: str | None = None,
        login_db: str | None = None,
        query: dict | None = None,
    ) -> Any:
        if dialect == "sqlite":
            # A relative SQLite path is relative to where the server runs;
            # make its folder, so a fresh checkout starts without set-up.
            os.makedirs(os.path.dirname(os.path.abspath(db)), exist_ok=True)
        return SQLTrackerStore.get_db_url(
            dialect, host, port, db, username, password, login_db, query
        )
