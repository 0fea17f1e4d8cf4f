#!/usr/bin/env bash
# Starts the action server and the Rasa server (all channels, SQLite) on
# 127.0.0.1, and stops both on Ctrl-C. Usage: tools/run.sh MODEL [shell]
# (shell with DEBUG=1: tools/staff_shell.py, which shows what was understood).
# The shell runs beside `make run`: it reuses a running action server or starts
# one on a free port, and keeps its conversations, handoff counts and logs in
# LAR_STAFF_DIR (var/staff), never in the server's.
set -euo pipefail
cd "$(dirname "$0")/.."

model="$1"
mode="${2:-server}"
rasa_port="${RASA_PORT:-5005}"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

free_port() {
  .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The action server answers only calls carrying this shared secret
# (actions/__main__.py). Unless the environment gives one, it is made once and
# kept in var/ (owner-only), so `make shell` can call the action server that
# `make run` started.
mkdir -p var
if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  if [ ! -s var/action-server.token ]; then
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' \
      > var/action-server.token)
  fi
  ACTION_SERVER_TOKEN=$(cat var/action-server.token)
fi
export ACTION_SERVER_TOKEN

if [ "$mode" = shell ]; then
  staff="${LAR_STAFF_DIR:-var/staff}"
  mkdir -p "$staff"
  action_port=5055
  if ! curl -sf "http://127.0.0.1:$action_port/health" >/dev/null 2>&1; then
    action_port=$(free_port)
    .venv/bin/python -m actions --port "$action_port" > "$staff/action-server.log" 2>&1 &
    pids+=($!)
  fi
  endpoints=$(.venv/bin/python -m tools.local_servers endpoints "$staff" "http://127.0.0.1:$action_port")
  if [ -n "${DEBUG:-}" ] && [ "${DEBUG}" != 0 ]; then
    .venv/bin/python -m tools.staff_shell "$model" --endpoints "$endpoints" 2> "$staff/staff-shell.log"
  else
    # The shell's server has a REST channel too: keep it on this machine.
    .venv/bin/rasa shell --model "$model" --endpoints "$endpoints" \
      --interface 127.0.0.1 --port "$(free_port)"
  fi
  exit
fi

# Keep the retention promise of PRIVACY.md even where no daily job runs yet.
.venv/bin/python -m storage.purge --days "${RETENTION_DAYS:-30}"

# Each server is started again if it dies (tools/supervise.sh).
tools/supervise.sh "action server" .venv/bin/python -m actions --port 5055 \
  > var/action-server.log 2>&1 &
pids+=($!)

# endpoints.yml, with the stores in var/ and the action server's secret.
endpoints=$(.venv/bin/python -m tools.local_servers endpoints var "http://127.0.0.1:5055")
tools/supervise.sh "Rasa server" .venv/bin/rasa run --model "$model" --endpoints "$endpoints" \
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
