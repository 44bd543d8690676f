#!/usr/bin/env bash
# Prepares a machine to build, demo and test the project. Safe to run again:
# each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: git for the engine's checks and the loopback remote, chromium for e2e.
missing=()
command -v git >/dev/null || missing+=(git)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, exactly as package-lock.json pins them.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# A Python virtual environment from PyPI.
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
if [ ! -f .venv/.requirements-test.txt ] || ! cmp -s requirements-test.txt .venv/.requirements-test.txt; then
  echo "setup: pip install -r requirements-test.txt"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
  cp requirements-test.txt .venv/.requirements-test.txt
fi

# Build the frontend, the engine bundle and the prebuilt labextension, then
# install the package into the venv the way users do.
echo "setup: building"
PATH="$PWD/.venv/bin:$PATH" npm run build:prod --silent
.venv/bin/pip install -q --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps .
echo "setup: done"
