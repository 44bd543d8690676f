"""The wire contract, as declared in src/contract/ and emitted by scripts/build-contract.mjs.

The engine's defaults and every error code's HTTP status are read from it, so
that they are stated once, in TypeScript. It ships in the wheel beside the
engine bundle it describes.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

#: Written by ``node scripts/build-contract.mjs`` (also run by ``npm run build:engine``).
CONTRACT_FILE = os.path.join(os.path.dirname(__file__), "engine", "contract.json")


@functools.cache
def contract() -> dict[str, Any]:
    try:
        with open(CONTRACT_FILE, encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError:
        # A source checkout that was never built has no engine either.
        raise RuntimeError(
            f"{CONTRACT_FILE} is missing: build the engine first (npm run build:engine)"
        ) from None


def default(name: str) -> Any:
    """One of src/contract/defaults.ts, e.g. ``default("HISTORY_LENGTH")``."""
    return contract()["defaults"][name]


def status(code: str) -> int:
    """The HTTP status of an error code (src/contract/errors.ts)."""
    return contract()["errors"][code]
