"""The project's own databases: where they are, opening them, making their tables.

Conversations are in BOT_DB_URL, else in the SQLite file endpoints.yml names.
The handoff audit and the SMS opt-outs take a SQLAlchemy URL or a SQLite path
from their own settings. Nothing here loads Rasa, so make's tools can use it.
"""

import os
from pathlib import Path

import sqlalchemy as sa
import yaml

from storage.startup_checks import database_engine, require

DB_URL_ENV = "BOT_DB_URL"
ENDPOINTS = Path(__file__).resolve().parent.parent / "endpoints.yml"
# Each failed attempt to create the tables means another server created some.
ATTEMPTS = 3


def sqlalchemy_url(db: str) -> str:
    """A SQLAlchemy URL, or a SQLite file path made into one (its folder made too)."""
    if "://" in db:
        return db
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{db}"


def conversations_url() -> str:
    """The tracker store's database: BOT_DB_URL, else endpoints.yml's SQLite file."""
    if os.environ.get(DB_URL_ENV):
        return os.environ[DB_URL_ENV]
    return f"sqlite:///{_endpoints()['tracker_store']['db']}"


def handoffs_db() -> str:
    """The handoff audit's database as endpoints.yml names it."""
    return _endpoints()["event_broker"]["db"]


def _endpoints() -> dict:
    return yaml.safe_load(ENDPOINTS.read_text())


def open_database(db: str, setting: str, metadata: sa.MetaData) -> sa.engine.Engine:
    """For a starting server: the engine of `db`, with the tables of `metadata`.

    A database that does not answer stops the server with one line naming
    `setting` (storage/startup_checks.py), as the tracker store's does.
    """
    engine = require(database_engine, sqlalchemy_url(db), setting)
    create_tables(metadata, engine)
    return engine


def create_tables(metadata: sa.MetaData, engine: sa.engine.Engine) -> None:
    """Creates the missing tables of `metadata`, whoever else is creating them.

    Replicas started together (docker compose up, a Kubernetes rollout) each
    create the tables they need. create_all checks first, but two servers can
    both find a table missing, and the second one's CREATE then fails, which
    stopped that server at start (seen with two replicas on PostgreSQL).
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            metadata.create_all(engine)
            return
        except sa.exc.DBAPIError:
            if attempt == ATTEMPTS:
                raise
