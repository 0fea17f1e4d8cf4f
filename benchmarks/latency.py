"""Per-message latency: in this process, and over REST with concurrent conversations.

Every load is bounded twice, by a message count and by a time budget, and
only ever targets the loopback server the bench started.
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from statistics import median

import numpy as np
import requests

REQUEST_TIMEOUT_SECONDS = 120


def summary(seconds: list[float]) -> dict[str, float]:
    values = np.array(seconds) * 1000
    return {
        "n": len(seconds),
        "p50_ms": float(np.percentile(values, 50)),
        "p95_ms": float(np.percentile(values, 95)),
        "mean_ms": float(values.mean()),
    }


def median_summary(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each figure over repeated runs (these machines are noisy)."""
    return {key: median(run[key] for run in runs) for key in runs[0]} | {"repeats": len(runs)}


def time_calls(call: Callable[[str], object], messages: list[str]) -> list[float]:
    seconds = []
    for text in messages:
        started = time.perf_counter()
        call(text)
        seconds.append(time.perf_counter() - started)
    return seconds


def conversation_messages(messages: list[str], index: int, length: int) -> list[str]:
    """The messages conversation `index` sends: the same for every system measured."""
    return [messages[(index * length + turn) % len(messages)] for turn in range(length)]


def time_conversations(
    say: Callable[[str, str], object],
    messages: list[str],
    conversations: int,
    length: int,
    tag: str,
) -> list[float]:
    """In-process conversations one after another (say(sender, text))."""
    seconds = []
    for index in range(conversations):
        sender = f"{tag}-{index}"
        seconds += time_calls(
            lambda text, sender=sender: say(sender, text),
            conversation_messages(messages, index, length),
        )
    return seconds


def post_message(session: requests.Session, url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = session.post(
        url + "/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=REQUEST_TIMEOUT_SECONDS,
    )
    response.raise_for_status()
    return time.perf_counter() - started


def post_once(url: str, sender: str, text: str) -> float:
    with requests.Session() as session:
        return post_message(session, url, sender, text)


def rest_conversations(
    url: str,
    messages: list[str],
    conversations: int,
    length: int,
    tag: str,
    budget_seconds: float,
) -> list[float]:
    """`conversations` senders talk at once, each sending `length` messages in turn."""
    deadline = time.monotonic() + budget_seconds

    def converse(index: int) -> list[float]:
        seconds = []
        with requests.Session() as session:
            for text in conversation_messages(messages, index, length):
                if time.monotonic() > deadline:
                    break
                seconds.append(post_message(session, url, f"{tag}-{index}", text))
        return seconds

    with ThreadPoolExecutor(max_workers=conversations) as pool:
        return [s for run in pool.map(converse, range(conversations)) for s in run]
