#!/usr/bin/env python
"""Round-trip latency of "Save and create checkpoint" through the REST API, as the browser does it.

Starts a real Jupyter Server (this checkout's ``gitcheckpoints`` on PYTHONPATH, engine bundle
rebuilt) on 127.0.0.1 with a fresh home, then times ``PUT /api/contents/nb.ipynb`` followed by
``POST /api/contents/nb.ipynb/checkpoints`` for a 2 MB notebook, a new version each run, with
no remote and with a dead remote (GIT_URL pointing at a closed loopback port).

    .venv/bin/python scripts/latency.py [--runs 50] [--json out.json]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_BYTES = 2 * 2**20


def make_notebook(rng: random.Random, version: int) -> dict:
    """~2 MB: 200 cells of code and markdown, every 10th with a PNG; `version` changes one cell."""
    cells = []
    for i in range(200):
        if i % 4 == 3:
            cells.append(
                {
                    "cell_type": "markdown",
                    "id": f"c{i}",
                    "metadata": {},
                    "source": f"## Section {i}\n" + "Some prose. " * 20,
                }
            )
            continue
        outputs = []
        if i % 10 == 0:
            png = b"\x89PNG\r\n\x1a\n" + rng.randbytes(72_000)
            outputs.append(
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"},
                }
            )
        cells.append(
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "execution_count": i,
                "source": f"x_{i} = compute({i})\nplot(x_{i})\n" + "# padding\n" * 30,
                "outputs": outputs,
            }
        )
    cells[version % len(cells)]["source"] = (
        f"# version {version}\n" + cells[version % len(cells)]["source"]
    )
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `jupyter server` subprocess with the extension enabled, in a temporary home."""

    def __init__(self, env_extra: dict[str, str]) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="gitcheckpoints-latency-"))
        self.home = self.tmp / "home"
        self.home.mkdir()
        config_dir = self.tmp / "config"
        config_dir.mkdir()
        (config_dir / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}}})
        )
        self.port = free_port()
        self.token = secrets.token_hex(16)
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("GIT_URL", "GIT_USER", "GIT_PASS", "DEBUG_HOME", "JUPYTER_PATH")
        }
        env.update(
            HOME=str(self.home),
            USER="bench",
            DEPLOY_ENV="latency",
            JUPYTER_CONFIG_DIR=str(config_dir),
            JUPYTER_DATA_DIR=str(self.tmp / "data"),
            JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
            PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
            **env_extra,
        )
        self.log = open(self.tmp / "server.log", "wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.home}",
                "--ServerApp.port_retries=0",
                "--allow-root",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=self.home,
        )
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self._wait_ready()

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Authorization": f"token {self.token}", "Content-Type": "application/json"}
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/git-checkpoints/status")[0] == 200:
                    return
            except OSError:
                self.connection.close()
            time.sleep(0.2)
        raise RuntimeError(f"server did not start; see {self.tmp / 'server.log'}")

    def stop(self) -> None:
        self.connection.close()
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def measure(label: str, env_extra: dict[str, str], runs: int) -> dict:
    server = Server(env_extra)
    rng = random.Random(42)
    try:
        save_ms, checkpoint_ms, total_ms = [], [], []
        for version in range(runs + 3):  # the first 3 warm up (engine start, index)
            body = json.dumps({"type": "notebook", "content": make_notebook(rng, version)}).encode()
            started = time.perf_counter()
            status, answer = server.request("PUT", "/api/contents/nb.ipynb", body)
            saved = time.perf_counter()
            assert status in (200, 201), answer
            status, answer = server.request("POST", "/api/contents/nb.ipynb/checkpoints", b"")
            done = time.perf_counter()
            assert status == 201, answer
            if version >= 3:
                save_ms.append((saved - started) * 1000)
                checkpoint_ms.append((done - saved) * 1000)
                total_ms.append((done - started) * 1000)
        size = (server.home / "nb.ipynb").stat().st_size
        commits = subprocess.run(
            ["git", "rev-list", "--count", "HEAD"],
            cwd=server.home,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        _, status = server.request("GET", "/git-checkpoints/status")
    finally:
        server.stop()
    result = {
        "case": label,
        "runs": runs,
        "notebook_bytes": size,
        "commits": int(commits),
        "state": json.loads(status)["state"],
    }
    for name, values in (("save", save_ms), ("checkpoint", checkpoint_ms), ("total", total_ms)):
        result[f"{name}_p50_ms"] = round(statistics.median(values), 1)
        result[f"{name}_p95_ms"] = round(statistics.quantiles(values, n=20)[18], 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    subprocess.run(["node", "scripts/build-engine.mjs"], cwd=ROOT, check=True)
    dead = f"http://127.0.0.1:{free_port()}/nobody.git"  # closed: connection refused
    results = [
        measure("no remote", {}, args.runs),
        measure("dead remote", {"GIT_URL": dead, "GIT_USER": "bench", "GIT_PASS": "x"}, args.runs),
    ]
    print(f"2 MB notebook ({results[0]['notebook_bytes']} bytes), {args.runs} runs each, ms")
    print(
        "| case | save p50 | save p95 | checkpoint p50 | checkpoint p95 | total p50 | total p95 "
        "| push state |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['case']} | {r['save_p50_ms']} | {r['save_p95_ms']} | {r['checkpoint_p50_ms']} | "
            f"{r['checkpoint_p95_ms']} | {r['total_p50_ms']} | {r['total_p95_ms']} | {r['state']} |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
