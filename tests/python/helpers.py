"""Small helpers shared by the tests."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The user as the tests' JupyterHub spawner would describe them.
USER = "alice"
EMAIL = "alice@example.org"
ENVIRONMENT = "test"
BRANCH = f"{USER}-{ENVIRONMENT}"


def notebook(*sources: str) -> dict[str, Any]:
    """A minimal nbformat 4 notebook with one code cell per source."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {
                "cell_type": "code",
                "id": f"cell-{i}",
                "metadata": {},
                "source": source,
                "outputs": [],
                "execution_count": None,
            }
            for i, source in enumerate(sources)
        ],
    }


def log_of(git: Callable[..., str], *paths: str) -> list[str]:
    """Commit ids touching ``paths`` (all commits when none), newest first."""
    out = git("log", "--format=%H", "--", *paths) if paths else git("log", "--format=%H")
    return out.split()


def first_source(notebook_json: str) -> str:
    """The first cell's source of a notebook file (nbformat may store it as a list of lines)."""
    source = json.loads(notebook_json)["cells"][0]["source"]
    return "".join(source) if isinstance(source, list) else source


class Pauses:
    """The engine's test-only pause points: ``hold`` a step, await ``reached``, then ``release``.

    While ``hold-<point>`` exists in the directory, the engine stops at that
    step and writes ``at-<point>`` with its pid (src/server/pausePoints.ts).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def hold(self, point: str) -> None:
        (self.directory / f"at-{point}").unlink(missing_ok=True)
        (self.directory / f"hold-{point}").touch()

    def release(self, point: str) -> None:
        (self.directory / f"hold-{point}").unlink(missing_ok=True)

    async def reached(self, point: str, timeout: float = 60.0) -> int:
        """Waits (without blocking the server's loop) until the engine stops there; its pid."""
        at = self.directory / f"at-{point}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                return int(at.read_text())
            except (FileNotFoundError, ValueError):
                pass
            assert time.monotonic() < deadline, f"the engine never reached {point}"
            await asyncio.sleep(0.01)
