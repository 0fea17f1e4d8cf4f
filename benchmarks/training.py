"""Training time, cold and cached, for our config and for stock Rasa's.

Every training goes into a temporary folder with its own Rasa cache
(RASA_CACHE_DIRECTORY), so nothing is shared with models/ or with other runs:
cold is `rasa train --force` on an empty cache, cached is a second
`rasa train` on the cache the cold run filled. Rasa logs when it starts and
finishes each trainable component; the lines are timestamped as they arrive,
which says where the time goes without a profiler.
"""

import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import rasa.cli
import rasa.engine.recipes
import yaml

from benchmarks.memory import PeakMemory
from tools.in_process import ROOT
from tools.local_servers import VENV_BIN, server_env

# What `rasa init` writes: pipeline and policies commented out, so Rasa
# trains its default ones (rasa/engine/recipes/config_files/default_config.yml).
INIT_CONFIG = Path(rasa.cli.__file__).parent / "initial_project" / "config.yml"
DEFAULT_CONFIG = Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml"
# What tools/model.sh hashes (keep the two in step), so a scratch copy of them
# gets the same key.
MODEL_INPUTS = ["config.yml", "domain.yml", "constraints.txt", "data", "nlu_components", "safety"]
COMPONENT_LINE = re.compile(r"(Starting to train|Finished training) component '(\w+)'")


@dataclass
class TrainingRun:
    seconds: float
    model: Path
    peak_rss_bytes: int
    log: Path
    # Each trained component and its seconds, in training order.
    components: list[tuple[str, float]] = field(default_factory=list)


def stock_config(folder: Path) -> Path:
    """A copy of `rasa init`'s config.yml (Rasa writes the defaults it used into it)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(INIT_CONFIG, folder / "config.yml"))


def with_epochs(config: Path, epochs: int, folder: Path) -> Path:
    """A copy of a config with every `epochs` set (a knob; the report says so).

    An empty pipeline (stock) is replaced by the default one it stands for.
    """
    settings = yaml.safe_load(config.read_text())
    if not settings.get("pipeline"):
        defaults = yaml.safe_load(DEFAULT_CONFIG.read_text())
        settings |= {key: defaults[key] for key in ("pipeline", "policies")}
    for component in settings["pipeline"] + settings["policies"]:
        if "epochs" in component:
            component["epochs"] = epochs
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "config.yml"
    copy.write_text(yaml.safe_dump(settings, sort_keys=False))
    return copy


def train(config: Path, workdir: Path, name: str, *, force: bool) -> TrainingRun:
    """`rasa train` of our domain and data with `config`, into workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = [
        str(VENV_BIN / "rasa"),
        "train",
        "--config",
        str(config),
        "--domain",
        str(ROOT / "domain.yml"),
        "--data",
        str(ROOT / "data"),
        "--out",
        str(workdir / "models"),
        "--fixed-model-name",
        name,
    ] + (["--force"] if force else [])
    log = workdir / f"{name}.log"
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=server_env(
            # Unbuffered, so that each log line is timestamped when it is written.
            {"RASA_CACHE_DIRECTORY": str(workdir / "cache"), "PYTHONUNBUFFERED": "1"}
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    components: list[tuple[str, float]] = []
    with PeakMemory(process.pid) as memory, log.open("w") as out:
        component_started = started
        for line in process.stdout:
            out.write(line)
            found = COMPONENT_LINE.search(line)
            if found and found[1] == "Starting to train":
                component_started = time.monotonic()
            elif found:
                components.append((found[2], time.monotonic() - component_started))
        if process.wait() != 0:
            raise RuntimeError(f"rasa train failed ({process.returncode}); see {log}")
    seconds = time.monotonic() - started
    model = workdir / "models" / f"{name}.tar.gz"
    return TrainingRun(seconds, model, memory.peak_bytes, log, components)


def model_script_seconds(workdir: Path) -> dict[str, float | str]:
    """tools/model.sh when the model exists: first copied from the shared cache, then a hit.

    Runs in a scratch copy of its inputs with no .venv, so that a miss fails
    at once instead of starting a second training.
    """
    scratch = workdir / "model-sh"
    (scratch / "tools").mkdir(parents=True)
    for name in MODEL_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, scratch / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, scratch / name)
    shutil.copy(ROOT / "tools" / "model.sh", scratch / "tools" / "model.sh")
    timings: dict[str, float | str] = {}
    for case in ("copied from the cache", "already in models/"):
        started = time.monotonic()
        result = subprocess.run(
            ["tools/model.sh"], cwd=scratch, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            return {"error": "no cached model for the current inputs (make train first)"}
        timings[case] = time.monotonic() - started
    return timings
