#!/usr/bin/env bash
# Starts a throwaway Redis server on 127.0.0.1:${REDIS_PORT:-56379} (installing Debian's redis-server if it
# is missing) and prints its URL. Used by scripts/test.sh (npm test): `eval "$(bash scripts/start-redis.sh)"`.
set -euo pipefail
PORT=${REDIS_PORT:-56379}
DIR=${REDIS_DIR:-/tmp/engage-redis-$PORT}
if ! command -v redis-server >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2
fi
if ! redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1; then
  mkdir -p "$DIR"
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$DIR" --daemonize yes --logfile "$DIR/log" >&2
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null
fi
echo "export TEST_REDIS_URL=redis://127.0.0.1:$PORT"
