#!/usr/bin/env bash
# Runs a server and starts it again whenever it dies, waiting 1, 2, 4 ... up
# to 30 seconds between tries (reset after it has run a minute), with one log
# line each time. make run supervises both servers this way, as the deploy
# files' restart policies do. Usage: tools/supervise.sh NAME COMMAND [ARG...]
# Ctrl-C or SIGTERM stops the server and the supervisor.
set -uo pipefail
name="$1"
shift
child=""
stop() {
  [ -n "$child" ] && kill "$child" 2>/dev/null
  wait 2>/dev/null
  exit 0
}
trap stop INT TERM

delay=1
while true; do
  started=$SECONDS
  "$@" &
  child=$!
  wait "$child"
  code=$?
  child=""
  [ $((SECONDS - started)) -ge 60 ] && delay=1
  echo "$(date '+%F %T') ${name} exited (code ${code}); starting it again in ${delay} s" >&2
  sleep "$delay" &
  wait $!
  delay=$((delay * 2 > 30 ? 30 : delay * 2))
done
