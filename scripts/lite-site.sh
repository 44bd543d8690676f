#!/usr/bin/env bash
# Builds a JupyterLite site with this package's prebuilt extension (from the
# venv, as `pip install` puts it) and serves it on loopback.
#
#   bash scripts/lite-site.sh [OUTPUT_DIR] [PORT]
#
# OUTPUT_DIR defaults to a new temporary directory, PORT to 8765. Needs the
# venv of scripts/setup.sh (jupyterlite-core comes from requirements-test.txt).
# LITE_PAGE_CONFIG (a JSON object) is added to the site's page config, e.g.
# '{"exposeAppInBrowser": true}' for tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$(mktemp -d -t gc-lite-XXXXXX)}"
port="${2:-8765}"
work="$(mktemp -d -t gc-lite-src-XXXXXX)"
cd "$work"
if [ -n "${LITE_PAGE_CONFIG:-}" ]; then
  echo "{\"jupyter-config-data\": $LITE_PAGE_CONFIG}" >jupyter-lite.json
fi
"$root/.venv/bin/jupyter" lite build --output-dir "$out" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
cd "$out"
rm -rf "$work"
echo "lite-site: serving $out on http://127.0.0.1:$port/"
exec "$root/.venv/bin/python" -m http.server "$port" --bind 127.0.0.1 --directory "$out"
