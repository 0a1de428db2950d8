#!/usr/bin/env bash
# Install the Debian packages the project needs, only those missing (idempotent, quick when done).
set -euo pipefail

packages=(
  python3 python3-venv python3-dev    # the venv is made from Debian's Python: it can load SQLite extensions
  libsqlite3-mod-spatialite            # SpatiaLite, the embedded default database
  postgresql postgresql-postgis        # PostGIS, for production and for the tests of every run
  redis-server                         # shared rate-limit counters of several app servers (tests)
  chromium                             # the browser tests (driven by Playwright, never downloaded)
  wrk                                  # the HTTP benchmark (bench/http.py) load generator
  make
)
# Node.js and npm fetch the front-end assets and axe-core from the npm registry; any install will do.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
