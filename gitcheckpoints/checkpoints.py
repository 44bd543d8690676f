"""Jupyter's ``Checkpoints`` API on git: ``GitCheckpoints`` (async) and its sync face."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

from jupyter_server.services.contents.checkpoints import AsyncCheckpoints, Checkpoints
from jupyter_server.services.contents.filecheckpoints import AsyncFileCheckpoints

from .config import GitCheckpointsConfig
from .errors import CheckpointsError
from .service import CheckpointService

T = TypeVar("T")

#: Errors about the repository rather than the request: a list answers [] for them.
_REPOSITORY_ERRORS = {"UnsupportedRepository", "RepositoryBusy", "Locked", "PermissionDenied"}


class GitCheckpoints(GitCheckpointsConfig, AsyncCheckpoints):
    """Checkpoints as git commits, for async contents managers (jupyter_server 2.x default).

    ``c.ContentsManager.checkpoints_class = 'gitcheckpoints.GitCheckpoints'`` is
    enough on its own; the server extension installs it too. The engine process
    starts on the first call. Checkpoint models are exactly ``{id, last_modified}``.

    Files outside the repository (a server root that is not under it) keep
    Jupyter's standard checkpoints in ``.ipynb_checkpoints``, so that saving
    them never fails.
    """

    _service: CheckpointService | None = None
    _outside: AsyncFileCheckpoints | None = None
    #: Why the last list failed, so that the reason is logged once, not per open.
    _unlisted_reason: str | None = None

    @property
    def service(self) -> CheckpointService:
        if self._service is None:
            root_dir = getattr(self.parent, "root_dir", None)
            if not root_dir:
                raise RuntimeError(
                    "GitCheckpoints needs a contents manager on the file system (with root_dir)"
                )
            self._service = CheckpointService(self, root_dir, self.log)
        return self._service

    @property
    def outside(self) -> AsyncFileCheckpoints:
        """Jupyter's own checkpoints, for files outside the repository."""
        if self._outside is None:
            self._outside = AsyncFileCheckpoints(parent=self.parent, log=self.log)
        return self._outside

    async def create_checkpoint(self, contents_mgr: Any, path: str) -> dict[str, str]:
        if not self._in_repository(path):
            return await self.outside.create_checkpoint(contents_mgr, path)
        return _model(await self._call(self.service.create(path)))

    async def restore_checkpoint(self, contents_mgr: Any, checkpoint_id: str, path: str) -> None:
        if not self._in_repository(path):
            return await self.outside.restore_checkpoint(contents_mgr, checkpoint_id, path)
        await self._call(self.service.restore(path, checkpoint_id))

    async def list_checkpoints(self, path: str) -> list[dict[str, str]]:
        """Never fails because of git: JupyterLab shows "File Load Error" when this fails on open.

        When the engine cannot start or read the repository, the list is empty
        (the file opens), the reason is logged once, and the status route says it.
        """
        if not self._in_repository(path):
            return await self.outside.list_checkpoints(path)
        try:
            checkpoints = await self.service.list(path, self.history_length)
        except CheckpointsError as error:
            if error.status < 500 and error.code not in _REPOSITORY_ERRORS:
                raise error.to_http_error() from None
            if error.message != self._unlisted_reason:
                self._unlisted_reason = error.message
                self.log.error("gitcheckpoints: checkpoints not listed: %s", error.message)
            return []
        self._unlisted_reason = None
        return [_model(checkpoint) for checkpoint in checkpoints]

    async def delete_checkpoint(self, checkpoint_id: str, path: str) -> None:
        if not self._in_repository(path):
            return await self.outside.delete_checkpoint(checkpoint_id, path)
        await self._call(self.service.hide(path, checkpoint_id))

    async def rename_all_checkpoints(self, old_path: str, new_path: str) -> None:
        """One commit for the rename of a file or a directory (history follows it)."""
        old_inside, new_inside = self._in_repository(old_path), self._in_repository(new_path)
        if old_inside and new_inside:
            await self._call(self.service.rename(old_path, new_path))
        elif old_inside:  # moved out of the repository: for git it is gone
            await self._call(self.service.delete(old_path))
        elif new_inside:  # moved in: git checkpoints start with its next checkpoint
            await self.outside.delete_all_checkpoints(old_path)
        else:
            await self.outside.rename_all_checkpoints(old_path, new_path)

    async def delete_all_checkpoints(self, path: str) -> None:
        """One commit for the deletion of a file or a directory (history is kept)."""
        if not self._in_repository(path):
            return await self.outside.delete_all_checkpoints(path)
        await self._call(self.service.delete(path))

    def close(self) -> None:
        """Stops the engine process, if it was started."""
        if self._service is not None:
            self._service.close()
            self._service = None

    def _in_repository(self, path: str) -> bool:
        try:
            return self.service.in_repository(path)
        except CheckpointsError as error:
            raise error.to_http_error() from None

    @staticmethod
    async def _call(request: Coroutine[Any, Any, T]) -> T:
        try:
            return await request
        except CheckpointsError as error:
            raise error.to_http_error() from None


class SyncGitCheckpoints(Checkpoints):
    """The same checkpoints for sync contents managers.

    Each call runs the async implementation to completion on a helper thread:
    a sync contents manager is called on the server's event loop, which cannot
    also run the coroutine it waits for. Configure it with ``c.GitCheckpoints.*``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.implementation = GitCheckpoints(parent=self.parent, log=self.log)
        self._runner = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="gitcheckpoints-sync"
        )

    @property
    def service(self) -> CheckpointService:
        return self.implementation.service

    def _run(self, request: Coroutine[Any, Any, T]) -> T:
        return self._runner.submit(asyncio.run, request).result()

    def create_checkpoint(self, contents_mgr: Any, path: str) -> dict[str, str]:
        return self._run(self.implementation.create_checkpoint(contents_mgr, path))

    def restore_checkpoint(self, contents_mgr: Any, checkpoint_id: str, path: str) -> None:
        self._run(self.implementation.restore_checkpoint(contents_mgr, checkpoint_id, path))

    def list_checkpoints(self, path: str) -> list[dict[str, str]]:
        return self._run(self.implementation.list_checkpoints(path))

    def delete_checkpoint(self, checkpoint_id: str, path: str) -> None:
        self._run(self.implementation.delete_checkpoint(checkpoint_id, path))

    def rename_all_checkpoints(self, old_path: str, new_path: str) -> None:
        self._run(self.implementation.rename_all_checkpoints(old_path, new_path))

    def delete_all_checkpoints(self, path: str) -> None:
        self._run(self.implementation.delete_all_checkpoints(path))

    def close(self) -> None:
        self.implementation.close()
        self._runner.shutdown(wait=False)


def _model(checkpoint: dict[str, Any]) -> dict[str, str]:
    """The standard API's checkpoint model: these two keys and nothing else."""
    return {"id": checkpoint["id"], "last_modified": checkpoint["last_modified"]}
