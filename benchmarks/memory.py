"""Peak resident memory of a process and all its children, read from /proc.

psutil is not installed, so the tree is found from each process's parent id
in /proc/<pid>/stat. A thread samples the summed RSS of the tree; the root's
own VmHWM (kernel-kept high-water mark) is folded in so a spike between two
samples is not missed for the main process.
"""

import os
import threading
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name may hold spaces or parentheses: split after the last ')'.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    children = _children_by_parent()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def high_water_mark_bytes(pid: int) -> int:
    """VmHWM: the largest RSS the process itself has had."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakMemory:
    """Samples a process tree until stopped: `with PeakMemory(pid) as peak: ...`."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            tree = sum(rss_bytes(pid) for pid in process_tree(self.pid))
            self.peak_bytes = max(self.peak_bytes, tree, high_water_mark_bytes(self.pid))
            if self._stop.wait(self.interval):
                return

    def start(self) -> "PeakMemory":
        self._thread.start()
        return self

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_bytes

    def __enter__(self) -> "PeakMemory":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
