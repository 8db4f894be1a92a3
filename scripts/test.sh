#!/usr/bin/env bash
# npm test: type-check, then every vitest suite. The PostgreSQL suite needs a server: TEST_PG_URL if set,
# else a throwaway local one (Debian's postgresql, installed with apt when missing and we are root).
# Without one the PostgreSQL suite is skipped with a notice, except in CI, where that is an error.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TEST_PG_URL:-}" ]; then
  if out=$(bash scripts/start-postgres.sh 2>/tmp/engage-pg-start.log); then
    eval "$out"
    export TEST_PG_URL
  else
    echo "note: could not start PostgreSQL (see /tmp/engage-pg-start.log); its tests will be skipped" >&2
    if [ -n "${CI:-}" ]; then exit 1; fi
  fi
fi
npx tsc --noEmit
npx vitest run "$@"
