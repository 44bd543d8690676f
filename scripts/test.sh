#!/usr/bin/env bash
# Runs every test: lint, unit and engine (jest), server (pytest against a real
# Jupyter Server), and end to end (JupyterLab in Debian's Chromium). Installs what it
# needs first (scripts/setup.sh). Exits non-zero if any suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

failed=()
suites=9
echo "== lint (eslint, prettier, ruff)"
{ npm run lint --silent && .venv/bin/ruff check gitcheckpoints tests/python tests/hub tests/install scripts &&
  .venv/bin/ruff format --check gitcheckpoints tests/python tests/hub tests/install scripts; } || failed+=(lint)
echo "== unit and engine tests (jest)"
npx jest --ci || failed+=(jest)
echo "== benchmark material checks (node --test)"
node --test scripts/bench/ || failed+=(bench-material)
echo "== server tests (pytest)"
.venv/bin/python -m pytest tests/python -q -p no:cacheprovider || failed+=(pytest)
echo "== JupyterHub tests (two real hubs, the gateway service, one loopback remote)"
.venv/bin/python -m pytest tests/hub -q -p no:cacheprovider || failed+=(hub)
echo "== install tests (the wheel in a fresh venv: newest JupyterLab without Node, oldest supported)"
.venv/bin/python -m pytest tests/install -q -p no:cacheprovider || failed+=(install)
echo "== end-to-end tests (Chromium)"
npm run test:e2e --silent || failed+=(e2e)
echo "== JupyterLite journey (Chromium, a jupyter lite build site, the engine in a Web Worker)"
# Under a time limit: a page that stops answering must fail the suite, not stall CI.
timeout 900 npm run test:lite --silent || failed+=(lite)

echo "suites: $((suites - ${#failed[@]})) passed, ${#failed[@]} failed"
if ((${#failed[@]})); then
  echo "test: failed: ${failed[*]}"
  exit 1
fi
