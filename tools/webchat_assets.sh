#!/usr/bin/env bash
# Makes the chat widget's browser files ready: socket.io-client (served by the
# Rasa server) and axe-core (tests) from channels/webchat/package-lock.json.
# With --browser it also makes sure Debian's Chromium is there for the widget
# tests (installed with apt-get when missing and we are root).
# Usage: tools/webchat_assets.sh [--browser]
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

if [ "${1:-}" = --browser ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "The widget tests need Debian's Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
  echo "Installing Debian's Chromium for the widget tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
