"""Waiting for what a server does after it has replied (a mail sent, a row written)."""

import time
from typing import Callable


def wait_until(check: Callable[[], bool], timeout: float = 20) -> bool:
    """True as soon as `check()` is; False if it is not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False
