#!/usr/bin/env bash
# Run a command with a throwaway PostGIS cluster: TEST_POSTGRES_URL is set for it, and the
# cluster is stopped afterwards whatever happens.
#   scripts/with-postgis.sh COMMAND [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=${ANNUAIRE_PGTEST_DIR:-${TMPDIR:-/tmp}/annuaire-pg-$(id -u)-$(pwd | cksum | cut -d' ' -f1)}
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pgdir")
export TEST_POSTGRES_URL
"$@"
