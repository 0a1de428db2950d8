#!/usr/bin/env bash
# The benchmarks, on SpatiaLite and on a throwaway PostGIS cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
pgdir=${ANNUAIRE_PGTEST_DIR:-${TMPDIR:-/tmp}/annuaire-pgbench-$(id -u)-$(pwd | cksum | cut -d' ' -f1)}
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pgdir")
export TEST_POSTGRES_URL
"$venv/bin/python" -m bench "$@"
