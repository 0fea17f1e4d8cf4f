"""The machine's PostgreSQL and Redis, for the tests of running several servers.

CI machines run both before the tests start (127.0.0.1, trust auth for the
user postgres). When one is unreachable the tests fail saying so: they are
never skipped.
"""

import uuid
from typing import Iterator

import psycopg2
import pytest
import redis

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A new PostgreSQL database, dropped afterwards; its SQLAlchemy URL."""
    name = f"lar_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg2.connect(f"{POSTGRES}/postgres", connect_timeout=5)
    except psycopg2.OperationalError as error:
        pytest.fail(f"These tests need PostgreSQL at {POSTGRES} (user postgres): {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield f"{POSTGRES}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


@pytest.fixture(scope="session")
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"These tests need Redis at {REDIS}: {error}")
    yield client
    client.close()
