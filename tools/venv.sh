#!/usr/bin/env bash
# Makes .venv ready: a Python 3.10 virtualenv with the pinned dependencies.
#
# The venv itself lives in a cache folder keyed on a hash of requirements.txt
# and constraints.txt, and .venv links to it: a fresh clone with the same
# dependencies (CI, a second checkout) reuses it instead of installing again.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${LAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lake-avenue-assistant}"
key=$(cat requirements.txt constraints.txt | sha256sum | cut -c1-16)
venv="$cache/venv-$key"

find_python310() {
  local candidate
  for candidate in "${PYTHON:-}" python3.10 "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 \
      /usr/local/bin/python3.10 /usr/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$candidate" || echo "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -f "$venv/.installed" ]; then
  if ! python=$(find_python310); then
    cat >&2 <<'MSG'
Python 3.10 is needed (Rasa 3.6 does not install on Python 3.11 or later).
Install it, for example with `pyenv install 3.10` or your system's python3.10
package, or point PYTHON at it: make run PYTHON=/path/to/python3.10
MSG
    exit 1
  fi
  echo "Creating the virtualenv with $python (first run takes a few minutes)..."
  rm -rf "$venv"
  mkdir -p "$cache"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pip==24.0"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    -r requirements.txt -c constraints.txt
  touch "$venv/.installed"
fi

# `rasa init`'s sample conversation tests, which this project never uses: a
# plain `rasa test` walks the project following links, .venv included, and
# would run them beside ours (tests/conversations/).
rm -rf "$venv"/lib/python3.10/site-packages/rasa/cli/initial_project/tests

if [ "$(readlink .venv 2>/dev/null)" != "$venv" ]; then
  rm -rf .venv
  ln -s "$venv" .venv
fi
