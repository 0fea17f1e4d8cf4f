#!/usr/bin/env bash
# Makes the chat widget's browser files ready: socket.io-client (served by the
# Rasa server) and axe-core (tests) from channels/webchat/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../channels/webchat"

# npm ci again whenever the lock file changed since the last install.
stamp=node_modules/.lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  if ! command -v npm >/dev/null; then
    echo "npm is needed for the chat widget's files (Debian: apt-get install nodejs npm)." >&2
    exit 1
  fi
  echo "Installing the chat widget's npm packages (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
