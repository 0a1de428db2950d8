#!/usr/bin/env bash
# The test command: lint, type-check, then every test on SpatiaLite and on a throwaway PostGIS.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}

pgdir=${ANNUAIRE_PGTEST_DIR:-${TMPDIR:-/tmp}/annuaire-pgtest-$(id -u)-$(pwd | cksum | cut -d' ' -f1)}
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pgdir")
export TEST_POSTGRES_URL
export ANNUAIRE_REQUIRE_ALL_DATABASES=1

echo "== ruff"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .
echo "== mypy"
"$venv/bin/mypy"
echo "== pytest"
"$venv/bin/python" -m pytest "$@"
