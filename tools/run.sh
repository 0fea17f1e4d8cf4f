#!/usr/bin/env bash
# Starts the action server and the Rasa server (all channels, SQLite) on
# 127.0.0.1, and stops both on Ctrl-C. Usage: tools/run.sh MODEL [shell]
set -euo pipefail
cd "$(dirname "$0")/.."

model="$1"
mode="${2:-server}"
rasa_port="${RASA_PORT:-5005}"
mkdir -p var

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --port 5055 --actions actions \
  > var/action-server.log 2>&1 &
pids+=($!)

if [ "$mode" = shell ]; then
  .venv/bin/rasa shell --model "$model" --endpoints endpoints.yml \
    --port "$rasa_port" ${SHELL_DEBUG:+--debug}
  exit
fi

.venv/bin/rasa run --model "$model" --endpoints endpoints.yml \
  --credentials credentials.yml --interface 127.0.0.1 --port "$rasa_port" &
pids+=($!)

until curl -sf "http://127.0.0.1:$rasa_port/" >/dev/null 2>&1; do sleep 1; done
cat <<MSG

The assistant is up.
  REST:    curl -s 127.0.0.1:$rasa_port/webhooks/rest/webhook -d '{"sender":"me","message":"hi"}'
  Widget:  http://127.0.0.1:$rasa_port/webchat/
  SMS:     POST http://127.0.0.1:$rasa_port/webhooks/twilio/webhook (signed by Twilio)
Conversations are stored in var/conversations.db. Press Ctrl-C to stop both servers.
MSG
wait "${pids[1]}"
