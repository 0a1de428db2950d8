#!/usr/bin/env bash
# Start or stop a throwaway Redis server for the tests (shared rate-limit counters).
#   scripts/redis-server.sh start DIR   -> prints the ANNUAIRE_RATELIMIT_STORAGE URL
#   scripts/redis-server.sh stop DIR
set -euo pipefail

action=${1:?usage: redis-server.sh start|stop DIR}
dir=${2:?usage: redis-server.sh start|stop DIR}
command -v redis-server >/dev/null || { echo "redis-server not found (run scripts/system-deps.sh)" >&2; exit 1; }

case "$action" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/port" ] && redis-cli -p "$(cat "$dir/port")" ping >/dev/null 2>&1; then
    port=$(cat "$dir/port")
  else
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # No persistence: the counters are throwaway.
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$dir" \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    echo "$port" >"$dir/port"
  fi
  echo "redis://127.0.0.1:$port/0"
  ;;
stop)
  [ -f "$dir/port" ] && redis-cli -p "$(cat "$dir/port")" shutdown nosave >/dev/null 2>&1 || true
  rm -f "$dir/port"
  ;;
*)
  echo "usage: redis-server.sh start|stop DIR" >&2; exit 2 ;;
esac
