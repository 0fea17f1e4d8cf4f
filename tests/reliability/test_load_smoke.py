"""make load, in miniature: the load test runs against the session's server and reports.

Only that the figures are produced and nothing failed; no timing is asserted.
"""

import json
import subprocess
import sys

from tools.in_process import ROOT
from tools.local_servers import Servers


def test_the_load_test_reports_errors_latency_and_throughput(servers: Servers, tmp_path):
    report = tmp_path / "load.json"
    command = [sys.executable, "-m", "tools.load_test", "--url", servers.url]
    command += ["--conversations", "2", "--messages", "3", "--socket-clients", "2"]
    command += ["--report", str(report)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    phases = json.loads(report.read_text())["phases"]
    assert [phase["phase"].split()[0] for phase in phases] == ["REST", "widget"]
    for phase in phases:
        assert (phase["messages"], phase["answered"], phase["errors"]) == (6, 6, 0)
        assert {"p50_ms", "p95_ms", "p99_ms", "messages_per_second"} <= set(phase)
    assert "p95" in run.stdout


def test_the_load_test_refuses_a_target_off_this_machine():
    command = [sys.executable, "-m", "tools.load_test", "--url", "http://192.0.2.1:5005"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "loopback" in run.stderr
