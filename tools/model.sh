#!/usr/bin/env bash
# Trains the model only when what it is built from changed.
#
# The model is named after a hash of config.yml, domain.yml, data/, the custom
# NLU components, the safety package (the risk model's code) and the pinned
# dependencies, and kept in a cache folder
# beside the venv's, so every checkout with the same inputs shares it.
# Prints the path of the model to use.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${LAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lake-avenue-assistant}/models"
inputs_key() {
  (cat config.yml domain.yml constraints.txt;
   find data nlu_components safety -type f \( -name '*.yml' -o -name '*.py' \) | LC_ALL=C sort | xargs cat) \
    | sha256sum | cut -c1-16
}
key=$(inputs_key)
model="models/$key.tar.gz"

mkdir -p models "$cache"
# One training at a time on this machine: a second `make` (a test run beside
# `make run`, another checkout) waits for it and then finds the model cached.
exec 9>"$cache/.training.lock"
flock 9
if [ ! -f "$model" ]; then
  if [ -f "$cache/$key.tar.gz" ]; then
    cp "$cache/$key.tar.gz" "$model"
  else
    echo "Training the model ($key): config, domain or data changed..." >&2
    .venv/bin/rasa train --fixed-model-name "$key" --out models >&2
    # Rasa reads a component's files (data/safety/, data/follow_ups/) when
    # that component trains, minutes after the key was taken: a model from
    # files edited meanwhile learnt a mix of both versions, so it is not kept.
    if [ "$(inputs_key)" != "$key" ]; then
      rm -f "$model"
      echo "Config, domain or data changed during the training: that model is not kept. Run again." >&2
      exit 1
    fi
    cp "$model" "$cache/$key.tar.gz"
  fi
fi
echo "$model"
