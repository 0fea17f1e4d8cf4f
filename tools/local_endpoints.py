"""endpoints.yml for a server started on loopback by tests, make load and make bench.

The same stores, lock store and handoff audit as endpoints.yml, so what is
measured and tested is what `make run` runs, with the databases in a working
folder of their own and the action server on a port of its own.
"""

from pathlib import Path

import yaml

from tools.in_process import ROOT


def local_endpoints(workdir: Path, action_url: str, db: Path | None = None) -> Path:
    """Writes workdir/endpoints.yml and returns its path."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"{action_url}/webhook"
    endpoints["tracker_store"]["db"] = str(db or workdir / "conversations.db")
    endpoints["event_broker"]["db"] = str(workdir / "handoffs.db")
    path = workdir / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path
