"""make load: a bounded load test of the assistant, on loopback only.

Starts its own Rasa and action servers (as the tests do, with their own
databases and logs in reports/load/) unless --url names a running server,
then runs two phases:

1. REST: --conversations conversations at once, each sending --messages
   messages one after another, each --think seconds (on average) after the
   last was answered: 0, the default, is the hardest case, a visitor who
   never reads; people take seconds;
2. widget: --socket-clients socket.io clients at once (websocket transport,
   as behind the proxy in deploy/), --messages messages each.

It reports errors, latency percentiles (p50, p95, p99) and messages per
second per phase, prints them and writes them as JSON (--report). Every
request has a timeout and the counts are fixed, so the run always ends.
"""

import argparse
import asyncio
import json
import os
import queue
import random
import shutil
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import aiohttp
import numpy as np
import socketio

from tools.widget_client import WidgetClient

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 30  # seconds for one reply
# Settings the servers take from the environment that bear on speed; the
# report records them.
SPEED_SETTINGS = (
    "TF_INTRA_OP_PARALLELISM_THREADS",
    "TF_INTER_OP_PARALLELISM_THREADS",
    "SANIC_KEEP_ALIVE_TIMEOUT",
)

# A visitor's questions, each answered by exactly one bot message, so a
# socket client knows which reply answers which message. REST conversations
# open with a greeting (two messages, returned together).
QUESTIONS = [
    "/menu_mat",
    "/faq/mat_methadone",
    "what is suboxone",
    "is naltrexone an opioid",
    "/menu_detox",
    "/faq/detox_what_is",
    "how long does withdrawal last",
    "what is detox",
    "do you take insurance",
    "/menu_therapy",
    "where is that from",
    "thanks",
    "what are your hours",
    "/menu_aftercare",
    "/faq/mat_naltrexone",
    "can my family visit",
    "/faq/mat_what_is",
    "bye",
]


def script(messages: int, index: int, greeting: bool) -> list[str]:
    """The messages conversation `index` sends (they differ in order between conversations)."""
    questions = [QUESTIONS[(index + turn) % len(QUESTIONS)] for turn in range(messages)]
    return (["hi"] + questions)[:messages] if greeting else questions


@dataclass
class Phase:
    name: str
    clients: int
    messages_per_client: int
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def error(self, kind: str, count: int = 1) -> None:
        with self._lock:
            self.errors[kind] += count

    def summary(self) -> dict:
        sent = len(self.latencies) + sum(self.errors.values())
        figures = {
            "phase": self.name,
            "clients": self.clients,
            "messages_per_client": self.messages_per_client,
            "messages": sent,
            "answered": len(self.latencies),
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "seconds": round(self.seconds, 2),
            "messages_per_second": round(len(self.latencies) / self.seconds, 1)
            if self.seconds
            else 0.0,
        }
        if self.latencies:
            ms = np.array(self.latencies) * 1000
            for name, q in (("p50_ms", 50), ("p95_ms", 95), ("p99_ms", 99)):
                figures[name] = round(float(np.percentile(ms, q)), 1)
            figures["max_ms"] = round(float(ms.max()), 1)
        return figures


async def rest_conversation(
    http: aiohttp.ClientSession, url: str, index: int, phase: Phase, run: str, think: float
) -> None:
    sender = f"load-{run}-rest-{index}"
    pauses = random.Random(index)  # the same pauses in every run
    for text in script(phase.messages_per_client, index, greeting=True):
        await asyncio.sleep(think * pauses.uniform(0.5, 1.5))
        started = time.perf_counter()
        try:
            async with http.post(
                url + "/webhooks/rest/webhook", json={"sender": sender, "message": text}
            ) as response:
                replies = await response.json() if response.status == 200 else None
        except asyncio.TimeoutError:
            phase.error("timeout")
            continue
        except aiohttp.ClientError as error:
            phase.error(type(error).__name__)
            continue
        if response.status != 200:
            phase.error(f"HTTP {response.status}")
        elif not replies:
            phase.error("no reply")
        else:
            phase.latencies.append(time.perf_counter() - started)


def socket_visitor(url: str, index: int, phase: Phase) -> None:
    """One widget visitor, in its own thread."""
    answered = 0
    widget = None
    try:
        widget = WidgetClient(url)
        widget.start_session()
        for text in script(phase.messages_per_client, index, greeting=False):
            started = time.perf_counter()
            widget.say(text)
            phase.latencies.append(time.perf_counter() - started)
            answered += 1
    except (socketio.exceptions.SocketIOError, queue.Empty) as error:
        # The visitor stops here (a late reply would pass for the next one's):
        # its unanswered messages are all errors.
        phase.error(type(error).__name__, phase.messages_per_client - answered)
    finally:
        if widget:
            widget.close()


async def rest_phase(url: str, conversations: int, messages: int, think: float) -> Phase:
    phase = Phase(f"REST (think {think:g} s)", conversations, messages)
    run = uuid.uuid4().hex[:6]
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=conversations)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:
        runs = [
            rest_conversation(http, url, index, phase, run, think) for index in range(conversations)
        ]
        started = time.perf_counter()
        await asyncio.gather(*runs)
        phase.seconds = time.perf_counter() - started
        return phase


def socket_phase(url: str, clients: int, messages: int) -> Phase:
    phase = Phase("widget (socket.io)", clients, messages)
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in pool.map(lambda index: socket_visitor(url, index, phase), range(clients)):
            pass
    phase.seconds = time.perf_counter() - started
    return phase


def render(summaries: list[dict]) -> str:
    lines = []
    for s in summaries:
        lines.append(
            f"{s['phase']}: {s['clients']} at once x {s['messages_per_client']} messages: "
            f"{s['answered']}/{s['messages']} answered, {s['errors']} errors "
            f"{s['error_kinds'] or ''}".rstrip()
        )
        if s["answered"]:
            lines.append(
                f"  latency p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms, "
                f"max {s['max_ms']} ms; {s['messages_per_second']} messages/s over {s['seconds']} s"
            )
    return "\n".join(lines)


def measure(
    url: str, conversations: int, messages: int, socket_clients: int, think: float
) -> list[dict]:
    phases = [asyncio.run(rest_phase(url, conversations, messages, think))]
    if socket_clients:
        phases.append(socket_phase(url, socket_clients, messages))
    return [phase.summary() for phase in phases]


def with_own_servers(run: Callable[[str], list[dict]]) -> list[dict]:
    """Runs `run(url)` against servers started for it, stopped afterwards.

    Their logs and databases (test conversations only) stay in reports/load/
    for a look at any error.
    """
    from tools.in_process import model_path
    from tools.local_servers import start_servers

    workdir = ROOT / "reports" / "load"
    shutil.rmtree(workdir, ignore_errors=True)
    servers = start_servers(model_path(), workdir)
    try:
        return run(servers.url)
    finally:
        servers.stop()
        print(f"Server logs: {workdir}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--socket-clients", type=int, default=20)
    parser.add_argument("--think", type=float, default=0.0, help="seconds between REST messages")
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "load.json")
    args = parser.parse_args()
    if args.url and not args.url.startswith(("http://127.", "http://localhost")):
        parser.error("--url must be on loopback: this load is for this machine only")

    def run(url: str) -> list[dict]:
        return measure(url, args.conversations, args.messages, args.socket_clients, args.think)

    summaries = run(args.url) if args.url else with_own_servers(run)
    settings = {name: os.environ[name] for name in SPEED_SETTINGS if name in os.environ}
    report = {"phases": summaries, "cpus": os.cpu_count(), "settings": settings}
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=2) + "\n")
    print(render(summaries))
    print(f"Written to {args.report}")


if __name__ == "__main__":
    main()
