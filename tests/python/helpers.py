"""Small helpers shared by the tests."""

from __future__ import annotations

import json
from collections.abc import Callable
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
