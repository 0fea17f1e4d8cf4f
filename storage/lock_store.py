"""The conversation lock store, chosen by the environment.

Rasa handles one message of a conversation at a time by taking a ticket lock
on it. One server keeps its locks in memory; several replicas behind a proxy
must share them, or two replicas could answer the same conversation at once
and lose some of its events. BOT_REDIS_URL (redis://host:6379/0, or rediss://
for TLS) names the Redis they share; unset, locks stay in memory.
"""

import os
from contextlib import contextmanager
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore

from storage.startup_checks import check_redis, require

REDIS_URL_ENV = "BOT_REDIS_URL"
# Keys are "lar:lock:<conversation id>", apart from anything else in the Redis.
KEY_PREFIX = "lar"
# Seconds a replica may hold a conversation's lock record while changing it.
MUTEX_TIMEOUT = 5


def redis_settings(redis_url: str) -> dict[str, Any]:
    """RedisLockStore's keyword arguments for a redis:// or rediss:// URL."""
    parts = urlsplit(redis_url)
    return {
        "host": parts.hostname or "localhost",
        "port": parts.port or 6379,
        "db": int(parts.path.strip("/") or 0),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "rediss",
        "key_prefix": KEY_PREFIX,
    }


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, with every change of a lock made atomic.

    Rasa reads a conversation's ticket lock, changes it and writes it back. Two
    replicas doing that at once overwrite each other's tickets, both think it
    is their turn, and events are lost (seen in tests/reliability). Here each
    read-change-write holds a short Redis mutex for that conversation.
    """

    @contextmanager
    def _changing(self, conversation_id: str) -> Iterator[None]:
        mutex = self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_TIMEOUT,
            blocking_timeout=MUTEX_TIMEOUT,
        )
        with mutex:
            yield

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._changing(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._changing(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._changing(conversation_id):
            super().cleanup(conversation_id, ticket_number)


def lock_store_from_environment() -> LockStore:
    """Redis locks when BOT_REDIS_URL is set, else in-memory ones."""
    redis_url = os.environ.get(REDIS_URL_ENV)
    if not redis_url:
        return InMemoryLockStore()
    require(check_redis, redis_url, REDIS_URL_ENV)
    return AtomicRedisLockStore(**redis_settings(redis_url))


class EnvironmentLockStore(LockStore):
    """The lock store to name in endpoints.yml (`lock_store: type: ...`).

    Rasa makes its lock store by calling the class named there; this one
    hands back the store that the environment asks for.
    """

    def __new__(cls, endpoint_config: Any = None) -> LockStore:
        return lock_store_from_environment()
