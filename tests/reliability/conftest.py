"""PostgreSQL and Redis for the tests of running several servers.

The servers at TEST_POSTGRES_URL and TEST_REDIS_URL (default: this machine's,
postgresql://postgres@127.0.0.1:5432 and redis://127.0.0.1:6379/0) when they
answer; otherwise throwaway ones of Debian's `postgresql` and `redis-server`
packages (make test installs them), started for the test session on free
loopback ports and stopped afterwards: Redis through pytest-redis, PostgreSQL
through tools/local_servers.py (see there why not pytest-postgresql).
"""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import psycopg2
import pytest
import redis

from tools.local_servers import Servers, start_servers, throwaway_postgres

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _answers(postgres_url: str) -> bool:
    try:
        psycopg2.connect(f"{postgres_url}/postgres", connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server's URL, without a database name."""
    if _answers(POSTGRES):
        yield POSTGRES
        return
    with throwaway_postgres() as url:
        yield url


@pytest.fixture(scope="module")
def database(postgres_url: str) -> Iterator[str]:
    """A new PostgreSQL database, dropped afterwards; its SQLAlchemy URL."""
    name = f"lar_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(f"{postgres_url}/postgres", connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield f"{postgres_url}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


@pytest.fixture(scope="session")
def redis_url(request: pytest.FixtureRequest) -> str:
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
        return REDIS
    except redis.RedisError:
        server = request.getfixturevalue("redis_proc")  # pytest-redis: a throwaway server
        return f"redis://{server.host}:{server.port}/0"


@pytest.fixture(scope="session")
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
    client.ping()
    yield client
    client.close()


@contextmanager
def two_replicas(
    model: str, workdir: Path, env: dict[str, str]
) -> Iterator[tuple[Servers, Servers]]:
    """Servers A and B, started at the same time with the same stores (`env`), as replicas are."""
    with ThreadPoolExecutor(2) as pool:
        starting = [
            pool.submit(start_servers, model, workdir / name, with_actions=False, env=env)
            for name in ("a", "b")
        ]
    failures = [future.exception() for future in starting if future.exception()]
    started = [future.result() for future in starting if not future.exception()]
    try:
        if failures:
            pytest.fail(f"a server did not start: {failures[0]}")
        yield started[0], started[1]
    finally:
        for servers in started:
            servers.stop()
