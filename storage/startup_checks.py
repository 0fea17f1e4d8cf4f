"""Refuse to start when a store named by the environment cannot be reached.

Without these checks Rasa starts anyway: its SQL store logs the failure and
keeps conversations in memory, so nothing is kept and replicas do not share
conversations, and a Redis lock store fails on the first message. Instead the
server stops at once with one line that names the setting to fix (never its
password), and an orchestrator restarts it until the store is up.
"""

import os
import sys
from typing import Callable, NoReturn, TypeVar

import sqlalchemy as sa
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.engine.url import make_url

# Seconds to wait for an answer: a host that drops packets must not hang the start.
CONNECT_TIMEOUT = 5


class StoreUnreachable(Exception):
    """A store named by a setting did not answer; the message names the setting."""


def database_engine(db_url: str, setting: str) -> sa.engine.Engine:
    """An engine on the database at `db_url`; raises StoreUnreachable unless it answers."""
    try:
        url = make_url(db_url)
        postgres = url.get_backend_name() == "postgresql"
        engine = sa.create_engine(
            url, future=True, connect_args={"connect_timeout": CONNECT_TIMEOUT} if postgres else {}
        )
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return engine
    except Exception as error:  # whatever the driver raises, the store is unusable
        raise unreachable("the database", setting, db_url, error) from None


def check_database(db_url: str, setting: str) -> None:
    """Raises StoreUnreachable unless the database at `db_url` answers."""
    database_engine(db_url, setting).dispose()


def check_redis(redis_url: str, setting: str) -> None:
    """Raises StoreUnreachable unless Redis at `redis_url` answers a ping."""
    try:
        client = Redis.from_url(redis_url, socket_connect_timeout=CONNECT_TIMEOUT)
        client.ping()
        client.close()
    except (RedisError, ValueError) as error:
        raise unreachable("Redis", setting, redis_url, error) from None


def unreachable(what: str, setting: str, url: str, error: Exception) -> StoreUnreachable:
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: echo none of it, it may hold a password
        return StoreUnreachable(f"{setting} is not a valid URL.")
    cause = getattr(error, "orig", None) or error  # the driver's own words
    reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return StoreUnreachable(f"Cannot reach {what} at {setting}={shown}: {reason}")


Checked = TypeVar("Checked")


def require(check: Callable[[str, str], Checked], url: str, setting: str) -> Checked:
    """Runs a check for a starting server and returns its result; ends the process if it fails."""
    try:
        return check(url, setting)
    except StoreUnreachable as error:
        stop_server(str(error))


def stop_server(message: str) -> NoReturn:
    # Stores are made in a Sanic start-up listener, and Sanic logs anything
    # raised there, SystemExit included, with a traceback: end the process here.
    print(f"ERROR: {message}", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(1)
