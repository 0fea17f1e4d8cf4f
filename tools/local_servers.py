"""Servers started on loopback by the tests, make load and make bench.

Rasa servers run as `make run` runs them: every channel of credentials.yml,
and the stores, lock store and handoff audit of endpoints.yml, with the
databases in a working folder of their own and the action server on a port of
its own. A throwaway PostgreSQL serves the tests on a machine where none runs.
"""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
import yaml

# Not imported from tools.in_process, which loads all of Rasa: tools/run.sh
# calls this module for the staff shell's endpoints.
ROOT = Path(__file__).resolve().parent.parent

VENV_BIN = Path(sys.executable).parent

# Secrets the channels read from the environment: stand-ins for servers on
# loopback (tests, make load), never real ones.
TEST_ENV = {
    "TWILIO_AUTH_TOKEN": "test-twilio-auth-token",
    "SMS_SENDER_KEY": "test-sender-hash-key",
    "WEBCHAT_ALLOWED_ORIGINS": "http://127.0.0.1,http://localhost",
    # Replicas in the scale-out tests honour each other's widget sessions.
    "WEBCHAT_SESSION_KEY": "test-webchat-session-key",
    "ACTION_SERVER_TOKEN": "test-action-server-token",
}

# The Rasa server sends the action server's shared secret (actions/__main__.py)
# in this header; the endpoints file written here carries it.
ACTION_TOKEN_ENV = "ACTION_SERVER_TOKEN"
ACTION_TOKEN_HEADER = "X-Action-Token"


def local_endpoints(
    workdir: Path, action_url: str, action_token: str, db: Path | None = None
) -> Path:
    """Writes workdir/endpoints.yml and returns its path.

    It is endpoints.yml with the stores in `workdir` and the action server's
    shared secret in the header the action server checks (actions/__main__.py).
    The file is readable by its owner only.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"{action_url}/webhook"
    endpoints["action_endpoint"]["headers"] = {ACTION_TOKEN_HEADER: action_token}
    endpoints["tracker_store"]["db"] = str(db or workdir / "conversations.db")
    endpoints["event_broker"]["db"] = str(workdir / "handoffs.db")
    path = workdir / "endpoints.yml"
    path.touch(mode=0o600)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def rasa_run_command(model: str | Path, endpoints: Path, port: int) -> list[str]:
    """`rasa run` of this venv with every channel, on 127.0.0.1 only, without the HTTP API."""
    return [
        str(VENV_BIN / "rasa"),
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(ROOT / "credentials.yml"),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a server started from this checkout."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **(extra or {}),
    }


def action_server_command(port: int) -> list[str]:
    """The action server (actions/__main__.py) on 127.0.0.1; ACTION_SERVER_TOKEN from the env."""
    return [str(VENV_BIN / "python"), "-m", "actions", "--port", str(port)]


def wait_until_up(
    url: str, process: subprocess.Popen, timeout: float = 180, interval: float = 0.5
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} answered")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(interval)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Servers:
    url: str
    port: int
    db: Path
    audit_db: Path
    log: Path
    action_process: subprocess.Popen | None
    rasa_process: subprocess.Popen

    def stop(self) -> None:
        for process in (self.rasa_process, self.action_process):
            if process:
                stop_process(process)


def start_servers(
    model: str,
    workdir: Path,
    *,
    with_actions: bool = True,
    env: dict | None = None,
    db: Path | None = None,
    action_url: str | None = None,
) -> Servers:
    """Start an action server (optional) and a Rasa server with every channel.

    `action_url` points the Rasa server at another action server (a test's
    stand-in) instead; none is started then.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    port, action_port = free_port(), free_port()
    db = db or workdir / "conversations.db"
    audit_db = workdir / "handoffs.db"
    with_actions = with_actions and action_url is None
    action_url = action_url or f"http://127.0.0.1:{action_port}"
    process_env = server_env(
        {**TEST_ENV, "SMS_OPTOUT_DB": str(workdir / "sms_optouts.db"), **(env or {})}
    )
    endpoints = local_endpoints(workdir, action_url, process_env[ACTION_TOKEN_ENV], db)
    log = workdir / "rasa.log"
    action_process = None
    if with_actions:
        action_process = subprocess.Popen(
            action_server_command(action_port),
            cwd=ROOT,
            env=process_env,
            stdout=open(workdir / "actions.log", "w"),  # noqa: SIM115 (the child owns it)
            stderr=subprocess.STDOUT,
        )
    rasa_process = subprocess.Popen(
        rasa_run_command(model, endpoints, port),
        cwd=ROOT,
        env=process_env,
        stdout=open(log, "w"),  # noqa: SIM115 (the child owns it)
        stderr=subprocess.STDOUT,
    )
    servers = Servers(
        f"http://127.0.0.1:{port}", port, db, audit_db, log, action_process, rasa_process
    )
    try:
        wait_until_up(servers.url + "/", rasa_process)
        if action_process:
            wait_until_up(f"http://127.0.0.1:{action_port}/health", action_process)
    except Exception:
        servers.stop()
        raise
    return servers


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL server of Debian's `postgresql` package on a free loopback
    port, for tests on a machine where none runs; its URL (user postgres,
    trust auth). Its files, in a folder of its own under the system's temporary
    folder (which the postgres user can reach), go when it stops.

    pytest-postgresql would do this, but it runs initdb as the current user and
    PostgreSQL refuses to run as root, which CI is: as root the server runs as
    the `postgres` user the package creates.
    """
    [bin_dir] = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1:] or [None]
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    workdir = Path(tempfile.mkdtemp(prefix="lar-postgres-"))
    if as_postgres:
        account = pwd.getpwnam("postgres")
        os.chown(workdir, account.pw_uid, account.pw_gid)
    data, port = workdir / "data", free_port()
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data)]
    subprocess.run(
        [*pg_ctl, "-o", options, "-l", str(workdir / "postgres.log"), "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    # tools/run.sh: `python -m tools.local_servers endpoints DIR ACTION_URL` writes
    # DIR/endpoints.yml (the stores in DIR, the secret from ACTION_SERVER_TOKEN)
    # and prints its path.
    _, command, folder, action_url = sys.argv
    assert command == "endpoints", "usage: python -m tools.local_servers endpoints DIR ACTION_URL"
    print(local_endpoints(Path(folder).resolve(), action_url, os.environ[ACTION_TOKEN_ENV]))
