#!/usr/bin/env bash
# The test command: lint, type-check, then every test on SpatiaLite and on a throwaway PostGIS.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}

echo "== ruff"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .
echo "== mypy"
"$venv/bin/mypy"
echo "== pytest (SpatiaLite and PostGIS)"
ANNUAIRE_REQUIRE_ALL_DATABASES=1 scripts/with-postgis.sh "$venv/bin/python" -m pytest "$@"
