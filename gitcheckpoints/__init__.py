"""Git checkpoints for Jupyter: every checkpoint is a commit, pushed in the background."""

from __future__ import annotations

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "dev"

from .checkpoints import GitCheckpoints, SyncGitCheckpoints
from .extension import GitCheckpointsApp

__all__ = ["GitCheckpoints", "GitCheckpointsApp", "SyncGitCheckpoints", "__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-git-checkpoints"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    return [{"module": "gitcheckpoints", "app": GitCheckpointsApp}]
