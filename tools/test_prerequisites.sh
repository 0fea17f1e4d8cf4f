#!/usr/bin/env bash
# Makes sure the programs the tests drive are installed, from Debian's packages:
# Chromium (widget tests), PostgreSQL and Redis (scale-out tests start throwaway
# servers when none answers at TEST_POSTGRES_URL / TEST_REDIS_URL). As root the
# missing ones are installed with apt-get; otherwise one line says what to install.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "The tests need Debian's ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the tests (Debian packages)..."
apt-get update -qq
# policy-rc.d 101: install the servers without starting them (the tests start
# their own), unless the machine already has a policy of its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
