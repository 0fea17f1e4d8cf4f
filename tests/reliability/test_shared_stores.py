"""The shared stores' code without a Rasa server: lock store, start-up checks, tables."""

import threading
import uuid

import pytest
import redis
import sqlalchemy as sa
from rasa.core.lock_store import InMemoryLockStore

from storage.databases import create_tables
from storage.lock_store import (
    AtomicRedisLockStore,
    EnvironmentLockStore,
    redis_settings,
)
from storage.startup_checks import StoreUnreachable, check_database, check_redis
from tools.local_servers import free_port


def test_a_redis_url_gives_the_lock_stores_settings():
    assert redis_settings("rediss://lar:p%40ss@cache.internal:6380/2") == {
        "host": "cache.internal",
        "port": 6380,
        "db": 2,
        "username": "lar",
        "password": "p@ss",
        "use_ssl": True,
        "key_prefix": "lar",
    }
    assert redis_settings("redis://redis")["port"] == 6379


def test_without_bot_redis_url_locks_stay_in_memory(monkeypatch):
    monkeypatch.delenv("BOT_REDIS_URL", raising=False)
    assert isinstance(EnvironmentLockStore(), InMemoryLockStore)


def test_with_bot_redis_url_locks_are_kept_in_redis(
    monkeypatch, redis_url: str, redis_client: redis.Redis
):
    monkeypatch.setenv("BOT_REDIS_URL", redis_url)
    store = EnvironmentLockStore()
    assert isinstance(store, AtomicRedisLockStore)
    conversation = f"settings-{uuid.uuid4().hex[:8]}"
    store.issue_ticket(conversation, 60)
    assert redis_client.exists(f"lar:lock:{conversation}")
    store.delete_lock(conversation)


def test_replicas_issuing_tickets_at_once_never_lose_one(redis_url: str, redis_client: redis.Redis):
    """Rasa's own RedisLockStore kept about a third of 100 such tickets."""
    conversation = f"race-{uuid.uuid4().hex[:8]}"
    replicas = [AtomicRedisLockStore(**redis_settings(redis_url)) for _ in range(4)]
    issued: list[int] = []

    def take_tickets(store: AtomicRedisLockStore) -> None:
        for _ in range(25):
            issued.append(store.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=take_tickets, args=(store,)) for store in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lock = replicas[0].get_lock(conversation)
    assert sorted(issued) == list(range(100))
    assert [ticket.number for ticket in lock.tickets] == list(range(100))
    for number in issued:
        replicas[number % 4].cleanup(conversation, number)
    assert replicas[0].get_lock(conversation) is None


@pytest.mark.parametrize(
    ("check", "url", "setting"),
    [
        (check_database, "postgresql://lar:hunter2@127.0.0.1:{port}/lar", "BOT_DB_URL"),
        (check_redis, "redis://:hunter2@127.0.0.1:{port}/0", "BOT_REDIS_URL"),
    ],
)
def test_an_unreachable_store_is_named_by_its_setting_without_the_password(check, url, setting):
    with pytest.raises(StoreUnreachable) as raised:
        check(url.format(port=free_port()), setting)
    message = str(raised.value)
    assert message.startswith("Cannot reach ") and f" at {setting}=" in message
    assert "hunter2" not in message and "***" in message


def test_a_setting_that_is_no_url_is_not_echoed():
    with pytest.raises(StoreUnreachable, match="^BOT_DB_URL is not a valid URL.$"):
        check_database("lar:hunter2 at the usual place", "BOT_DB_URL")


def test_reachable_stores_pass(database: str, redis_url: str):
    check_database(database, "BOT_DB_URL")
    check_redis(redis_url, "BOT_REDIS_URL")


def test_servers_creating_the_same_tables_at_once_all_start(database: str):
    """Plain create_all failed in five of six servers doing this."""
    metadata = sa.MetaData()
    suffix = uuid.uuid4().hex[:8]
    for name in ("first", "second", "third"):
        sa.Table(f"{name}_{suffix}", metadata, sa.Column("id", sa.Integer, primary_key=True))
    servers = 6
    together = threading.Barrier(servers)
    failures: list[Exception] = []

    def start() -> None:
        engine = sa.create_engine(database)
        with engine.connect():
            together.wait()  # every server connected: create at the same moment
        try:
            create_tables(metadata, engine)
        except Exception as error:
            failures.append(error)
        engine.dispose()

    threads = [threading.Thread(target=start) for _ in range(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert set(sa.inspect(sa.create_engine(database)).get_table_names()) >= set(metadata.tables)
