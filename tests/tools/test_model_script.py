"""tools/model.sh keeps a model only under the key of what it learnt from.

The script runs in a copy of the project's layout with a stand-in for
`rasa train` that writes the model file (and, when asked, edits a data file
while "training", as a person editing data/safety/ during `make run` would).
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tools.in_process import ROOT

FAKE_RASA = """#!/usr/bin/env bash
# Stand-in for `rasa train --fixed-model-name NAME --out models`.
set -eu
if [ -n "${EDIT_DURING_TRAINING:-}" ]; then echo "- edited meanwhile" >> data/safety/x.yml; fi
touch "models/$3.tar.gz"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "model.sh", tmp_path / "tools" / "model.sh")
    for name in ("config.yml", "domain.yml", "constraints.txt"):
        (tmp_path / name).write_text(f"{name}\n")
    for folder in ("data/safety", "nlu_components", "safety"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "data" / "safety" / "x.yml").write_text("- a message\n")
    rasa = tmp_path / ".venv" / "bin" / "rasa"
    rasa.parent.mkdir(parents=True)
    rasa.write_text(FAKE_RASA)
    rasa.chmod(0o755)
    return tmp_path


def run(project: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "tools/model.sh"],
        cwd=project,
        env={**os.environ, "LAR_CACHE_DIR": str(project / "cache"), **env},
        capture_output=True,
        text=True,
    )


def test_a_model_is_trained_once_and_then_found_in_the_cache(project: Path):
    first = run(project)
    assert first.returncode == 0, first.stderr
    model = first.stdout.strip()
    assert (project / model).exists()
    assert (project / "cache" / "models" / Path(model).name).exists()
    (project / model).unlink()
    again = run(project, EDIT_DURING_TRAINING="1")  # would edit if it trained
    assert again.stdout.strip() == model
    assert "Training" not in again.stderr


def test_a_model_whose_data_changed_during_its_training_is_not_kept(project: Path):
    edited = run(project, EDIT_DURING_TRAINING="1")
    assert edited.returncode == 1
    assert "changed during the training" in edited.stderr
    assert list((project / "models").iterdir()) == []
    assert list((project / "cache" / "models").glob("*.tar.gz")) == []
    # Run again, the model is trained from what the files now hold.
    again = run(project)
    assert again.returncode == 0, again.stderr
    assert (project / again.stdout.strip()).exists()
