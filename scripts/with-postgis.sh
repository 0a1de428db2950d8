#!/usr/bin/env bash
# Run a command with a throwaway PostGIS cluster and a throwaway Redis server: TEST_POSTGRES_URL
# and TEST_REDIS_URL are set for it, and both are stopped afterwards whatever happens.
#   scripts/with-postgis.sh COMMAND [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=${ANNUAIRE_PGTEST_DIR:-${TMPDIR:-/tmp}/annuaire-pg-$(id -u)-$(pwd | cksum | cut -d' ' -f1)}
redisdir="$pgdir-redis"
trap 'scripts/pg-cluster.sh stop "$pgdir"; scripts/redis-server.sh stop "$redisdir"' EXIT
TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pgdir")
TEST_REDIS_URL=$(scripts/redis-server.sh start "$redisdir")
export TEST_POSTGRES_URL TEST_REDIS_URL
"$@"
