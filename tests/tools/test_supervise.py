"""make run starts a server again when it dies, with back-off and a log line."""

import signal
import subprocess
import time

from tools.in_process import ROOT


def test_a_server_that_dies_is_started_again_until_stopped(tmp_path):
    starts = tmp_path / "starts"
    supervisor = subprocess.Popen(
        ["tools/supervise.sh", "test server", "sh", "-c", f"echo start >> {starts}; exit 3"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and starts.exists() is False:
        time.sleep(0.1)
    while time.monotonic() < deadline and len(starts.read_text().split()) < 3:
        time.sleep(0.2)  # dies at once, started again after 1 s, then 2 s
    supervisor.send_signal(signal.SIGTERM)
    _, log = supervisor.communicate(timeout=10)
    assert len(starts.read_text().split()) >= 3
    assert "test server exited (code 3); starting it again in 1 s" in log
    assert "starting it again in 2 s" in log
    assert supervisor.returncode == 0
