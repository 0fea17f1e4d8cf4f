"""pyinstrument profiles of what the goals measure: message handling and server start.

Each profile is kept whole as text, and summed per Rasa graph component (the
frames under GraphNode.__call__ when handling a message, under
GraphNode._load_component when loading) for the report. Server start is
profiled in a fresh process (`python -m benchmarks.profiles MODEL OUT`), so
that importing Rasa and TensorFlow counts as it does when `rasa run` starts.
"""

import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pyinstrument import Profiler
from pyinstrument.frame import Frame

from benchmarks.memory import high_water_mark_bytes, rss_bytes

# Frames under this share of the total are left out, so the tree stays readable;
# Rasa's and spaCy's own frames are shown (the question is which of their steps
# costs), the frames of the libraries under them are grouped.
PROCESSOR_OPTIONS = {"filter_threshold": 0.02, "show_regex": r".*/site-packages/(rasa|spacy)/"}


def _frames(root: Frame, owner: str, function: str) -> Iterator[Frame]:
    """The outermost calls of owner.function under root."""
    todo = [root]
    while todo:  # iterative: TensorFlow's frames nest deeper than the recursion limit
        frame = todo.pop()
        if (frame.class_name, frame.function) == (owner, function):
            yield frame
        else:
            todo.extend(frame.children)


def time_under(root: Frame, owner: str, function: str) -> dict[str, float]:
    """Seconds in each callee of owner.function, by the callee's class, summed."""
    totals: dict[str, float] = defaultdict(float)
    for frame in _frames(root, owner, function):
        for child in frame.children:
            # Frames of no class ([self], helpers) are the graph's own glue.
            totals[child.class_name or "graph glue"] += child.time
    return totals


def _largest_first(parts: dict[str, float], rest: str, total: float) -> dict[str, float]:
    parts = dict(sorted(parts.items(), key=lambda kv: -kv[1]))
    return parts | {rest: total - sum(parts.values())}


def _save(profiler: Profiler, path: Path, parts: dict[str, float]) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = profiler.output_text(unicode=False, color=False, processor_options=PROCESSOR_OPTIONS)
    path.write_text(text)
    return {"path": str(path), "seconds": profiler.last_session.duration, "parts": parts}


def profile_messages(
    say: Callable[[str, str], object], messages: Iterable[str], path: Path
) -> dict:
    """One conversation through the in-process assistant (Agent.handle_text)."""
    profiler = Profiler(interval=0.001)
    profiler.start()
    for text in messages:
        say("bench-profile", text)
    profiler.stop()
    root = profiler.last_session.root_frame()
    parts = _largest_first(
        time_under(root, "GraphNode", "__call__"),
        "outside the graph (tracker, events, actions)",
        sum(frame.time for frame in _frames(root, "Agent", "handle_text")),
    )
    return _save(profiler, path, parts)


def profile_start(model: Path, path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.profiles", str(model), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def _profile_load(model: str, path: str) -> dict:
    # A coarser interval: loading takes tens of seconds, and 1 ms sampling slows it.
    profiler = Profiler(interval=0.005)
    profiler.start()
    from tools.in_process import Assistant

    imported = rss_bytes(os.getpid())
    Assistant(model).close()
    profiler.stop()
    memory = {
        "after imports": imported,
        "after loading the model": rss_bytes(os.getpid()),
        "peak": high_water_mark_bytes(os.getpid()),
    }
    root = profiler.last_session.root_frame()
    loading = sum(frame.time for frame in _frames(root, "Agent", "load"))
    parts = _largest_first(
        time_under(root, "GraphNode", "_load_component"),
        "other loading (unpacking, domain, graph)",
        loading,
    )
    parts["imports (Rasa, TensorFlow, spaCy, ...)"] = profiler.last_session.duration - loading
    return _save(profiler, Path(path), parts) | {"memory_bytes": memory}


def summary_lines(path: Path, limit: int = 30) -> str:
    """The head of a text profile, for the report."""
    return "\n".join(path.read_text().splitlines()[:limit])


if __name__ == "__main__":
    print(json.dumps(_profile_load(*sys.argv[1:3])))
