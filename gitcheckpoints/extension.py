"""The server extension: git checkpoints for the contents manager, plus the extra routes."""

from __future__ import annotations

from jupyter_server.extension.application import ExtensionApp
from jupyter_server.services.contents.manager import AsyncContentsManager

from .checkpoints import GitCheckpoints, SyncGitCheckpoints
from .handlers import route_table
from .service import CheckpointService


class GitCheckpointsApp(ExtensionApp):
    """Installs ``GitCheckpoints`` (or its sync face) unless configured already."""

    name = "gitcheckpoints"
    load_other_extensions = True

    checkpoints: GitCheckpoints | SyncGitCheckpoints

    def initialize_settings(self) -> None:
        self.checkpoints = install_checkpoints(self.serverapp.contents_manager)
        self.checkpoints.service.start()

    def initialize_handlers(self) -> None:
        self.handlers.extend(route_table(self._service))

    def _service(self) -> CheckpointService:
        return self.checkpoints.service

    async def stop_extension(self) -> None:
        self.checkpoints.close()


def install_checkpoints(contents_manager) -> GitCheckpoints | SyncGitCheckpoints:
    """The contents manager's checkpoints, made git-backed if they are not yet."""
    current = contents_manager.checkpoints
    if isinstance(current, (GitCheckpoints, SyncGitCheckpoints)):
        return current
    kind = (
        GitCheckpoints if isinstance(contents_manager, AsyncContentsManager) else SyncGitCheckpoints
    )
    contents_manager.checkpoints = kind(**contents_manager.checkpoints_kwargs)
    return contents_manager.checkpoints
