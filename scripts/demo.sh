#!/usr/bin/env bash
# Starts JupyterLab with git checkpoints on a sample folder (.jupyter-demo/home),
# with its own repository and a local git remote, so pushes can be seen.
# Ctrl+C stops JupyterLab and the remote; the folder is kept for next time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

demo="$PWD/.jupyter-demo"
home="$demo/home"
mkdir -p "$home"
for file in demo/*; do
  [ -e "$home/$(basename "$file")" ] || cp "$file" "$home/"
done

# The remote's password is made up for this run; it reaches the engine through
# the environment and is never printed.
export GIT_REMOTE_USER=demo
GIT_REMOTE_PASSWORD="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(16))')"
export GIT_REMOTE_PASSWORD
node scripts/git-remote.mjs --root "$demo/remotes" --port "${DEMO_REMOTE_PORT:-0}" \
  --init notebooks.git >"$demo/remote.json" 2>"$demo/remote.log" &
remote_pid=$!
trap 'kill "$remote_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -s "$demo/remote.json" ] && break
  sleep 0.1
done
remote_url="$(.venv/bin/python -c 'import json, sys; print(json.load(open(sys.argv[1]))["url"])' "$demo/remote.json")"

export DEBUG_HOME="$home"
export DEPLOY_ENV=demo
export USER="${USER:-jovyan}"
export GIT_URL="$remote_url/notebooks.git"
export GIT_USER="$GIT_REMOTE_USER"
export GIT_PASS="$GIT_REMOTE_PASSWORD"
export GIT_EMAIL="$USER@example.invalid"

echo "demo: repository $home/.git, branch $USER-demo, remote $GIT_URL"
echo "demo: see pushes with: git --git-dir=$demo/remotes/notebooks.git log --oneline $USER-demo"
args=(--no-browser --ip=127.0.0.1 --port="${DEMO_PORT:-8888}" --ServerApp.root_dir="$home")
[ "$(id -u)" = 0 ] && args+=(--allow-root)
.venv/bin/jupyter lab "${args[@]}"
