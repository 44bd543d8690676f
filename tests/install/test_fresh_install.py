"""The built wheel in a fresh venv, as a hub image installs it: newest JupyterLab 4.x, no Node
on PATH. Then the oldest JupyterLab this package supports: its labextension must still be OK."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The oldest JupyterLab whose @jupyterlab/* versions package.json's ranges accept.
OLDEST_JUPYTERLAB = "4.4.*"
NAME = "jupyterlab-git-checkpoints"


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["-w", str(wheels), str(ROOT)],
        check=True,
    )
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True)
    bin_dir = base / "venv" / "bin"
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, str(wheel), "jupyterlab>=4,<5"], check=True)
    # PATH without Node: the venv and git (for the checks below) only.
    tools = base / "tools"
    tools.mkdir()
    (tools / "git").symlink_to(shutil.which("git"))
    env = {**os.environ, "PATH": f"{bin_dir}:{tools}", "HOME": str(base / "home")}
    assert shutil.which("node", path=env["PATH"]) is None
    return {"bin": bin_dir, "env": env, "pip": pip, "base": base}


def labextension_line(venv) -> str:
    listed = subprocess.run(
        [str(venv["bin"] / "jupyter"), "labextension", "list"],
        env=venv["env"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in (listed.stdout + listed.stderr).splitlines() if NAME in line]
    assert lines, listed.stdout + listed.stderr
    return lines[0]


def jupyterlab_version(venv) -> str:
    return subprocess.run(
        [str(venv["bin"] / "python"), "-c", "import jupyterlab; print(jupyterlab.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_newest_jupyterlab_without_node(venv, capsys):
    assert "enabled" in labextension_line(venv) and "OK" in labextension_line(venv)
    root = venv["base"] / "home"
    root.mkdir(exist_ok=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = secrets.token_hex(8)
    server = subprocess.Popen(
        [str(venv["bin"] / "jupyter"), "server", f"--port={port}", "--ip=127.0.0.1"]
        + [f"--IdentityProvider.token={token}", "--ServerApp.allow_root=True", "--no-browser"],
        cwd=root,
        env=venv["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"

        def call(method: str, path: str, body: object = None):
            request = urllib.request.Request(
                f"{url}/{path}",
                method=method,
                data=json.dumps(body).encode() if body is not None else b"",
                headers={"Authorization": f"token {token}"},
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")

        deadline = time.monotonic() + 60
        while True:
            try:
                call("GET", "api/status")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.3)
        model = {"type": "file", "format": "text", "content": "hello\n"}
        call("PUT", "api/contents/a.txt", model)
        status, checkpoint = call("POST", "api/contents/a.txt/checkpoints")
        assert status == 201
    finally:
        server.terminate()
        server.wait(30)
    head = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", "a.txt"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert head == checkpoint["id"]
    with capsys.disabled():
        print(
            f"\ninstall: JupyterLab {jupyterlab_version(venv)}: {labextension_line(venv).strip()}"
        )


def test_oldest_supported_jupyterlab(venv, capsys):
    subprocess.run([*venv["pip"], f"jupyterlab=={OLDEST_JUPYTERLAB}"], check=True)
    line = labextension_line(venv)
    assert "enabled" in line and "OK" in line, line
    with capsys.disabled():
        print(f"\ninstall: JupyterLab {jupyterlab_version(venv)}: {line.strip()}")
