#!/usr/bin/env bash
# npm test: type-check, then every vitest suite. The PostgreSQL suites need a server: TEST_PG_URL if set,
# else a throwaway local one (Debian's postgresql, installed with apt when missing and we are root).
# Redis (the shared rank index, TEST_REDIS_URL) the same way: scripts/start-redis.sh; Debian's chromium for the
# browser tests (TEST_CHROMIUM) through scripts/install-chromium.sh.
# Without one its suites are skipped with a notice, except in CI, where that is an error.
set -euo pipefail
cd "$(dirname "$0")/.."

# with_server <name> <log key> <start script> <variable>: sets the variable from the script unless already set.
with_server() {
  local name=$1 log=/tmp/engage-$2-start.log script=$3 var=$4
  [ -n "${!var:-}" ] && return 0
  if out=$(bash "$script" 2>"$log"); then
    eval "$out"
    export "${var?}"
  else
    echo "note: could not start $name (see $log); its tests will be skipped" >&2
    if [ -n "${CI:-}" ]; then exit 1; fi
  fi
}
with_server PostgreSQL pg scripts/start-postgres.sh TEST_PG_URL
with_server Redis redis scripts/start-redis.sh TEST_REDIS_URL
with_server Chromium chromium scripts/install-chromium.sh TEST_CHROMIUM
npx tsc --noEmit
npx vitest run "$@"
