#!/usr/bin/env bash
# Copy the front-end libraries the pages use from the npm registry packages (package-lock.json)
# into webapp/static/vendor/, which is committed: the running app needs neither npm nor a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --silent
dest=webapp/static/vendor
rm -rf "$dest"
mkdir -p "$dest/leaflet/images" "$dest/leaflet.markercluster"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$dest/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$dest/leaflet/images/"
cp node_modules/leaflet/LICENSE "$dest/leaflet/LICENSE"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$dest/leaflet.markercluster/"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$dest/leaflet.markercluster/LICENSE" 2>/dev/null \
  || cp node_modules/leaflet.markercluster/LICENSE* "$dest/leaflet.markercluster/" 2>/dev/null || true
echo "vendored into $dest:"; find "$dest" -type f | sort
