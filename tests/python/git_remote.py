"""The loopback git remote of scripts/git-remote.mjs (git http-backend, Basic auth), for pytest."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class GitRemote:
    """One bare repository served on 127.0.0.1; stop and start it on the same port."""

    def __init__(self, root: Path, user: str, password: str) -> None:
        self.root = root
        self.user = user
        self.password = password
        self.port = 0
        self.log = root / "requests.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/checkpoints.git"

    @property
    def bare(self) -> Path:
        return self.root / "checkpoints.git"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "GIT_REMOTE_USER": self.user, "GIT_REMOTE_PASSWORD": self.password}
        with open(self.log, "ab") as log:
            self._process = subprocess.Popen(
                [
                    "node",
                    str(ROOT / "scripts" / "git-remote.mjs"),
                    "--root",
                    str(self.root),
                    "--port",
                    str(self.port),
                    "--init",
                    "checkpoints.git",
                ],
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
            )
        assert self._process.stdout is not None
        ready = json.loads(self._process.stdout.readline())
        self.port = int(ready["url"].rsplit(":", 1)[1])

    def stop(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGTERM)
            self._process.wait(10)
            self._process = None

    def requests(self) -> list[str]:
        """The requests served so far, as the remote logs them: 'METHOD path status'."""
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        return [
            line.removeprefix("git-remote: ")
            for line in lines
            if re.match(r"git-remote: (GET|POST) ", line)
        ]

    def git(self, *args: str) -> str:
        """The git CLI on the bare repository."""
        return subprocess.run(
            ["git", "--git-dir", str(self.bare), *args], capture_output=True, text=True, check=True
        ).stdout


@contextmanager
def serving(root: Path, user: str, password: str) -> Iterator[GitRemote]:
    """A started remote, stopped on exit: the body of a fixture."""
    remote = GitRemote(root, user, password)
    remote.start()
    try:
        yield remote
    finally:
        remote.stop()
