"""The one engine proxy: Jupyter paths in, engine requests out, remote settings kept."""

from __future__ import annotations

import base64
import concurrent.futures
import logging
import os
import weakref
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Any

from .config import GitCheckpointsConfig, RemoteSettings, SettingsStore
from .contract import default
from .engine_client import EngineClient
from .errors import CheckpointsError
from .migration import credentials_in_urls, move_credentials_out
from .node import find_node
from .paths import PathMapper

#: The engine bundle built by scripts/build-engine.mjs and shipped in the wheel.
ENGINE_BUNDLE = os.path.join(os.path.dirname(__file__), "engine", "main.js")

#: Secrets the engine process must not inherit: they reach it over stdin.
SECRET_ENVIRONMENT = ("GIT_PASS",)


class CheckpointService:
    """Everything the checkpoints class and the REST handlers ask of git, in one place.

    Paths are Jupyter API paths; the engine gets repository-relative ones.
    Errors are ``CheckpointsError`` with the engine's code and HTTP status.
    """

    def __init__(self, config: GitCheckpointsConfig, root_dir: str, log: logging.Logger) -> None:
        self._config = config
        self._log = log
        self._paths = PathMapper(root_dir, config.repo_dir)
        if not self._paths.root_in_repository:
            log.warning(
                "gitcheckpoints: the server's root %s is not inside the repository %s;"
                " files outside it keep Jupyter's standard checkpoints",
                root_dir,
                config.repo_dir,
            )
        self._store = SettingsStore(config.settings_file)
        self._stored = self._load_stored()
        self._password: str | None = _remote_credential(config, log)
        # A user name taken out of a remote's URL, for a remote configured without one.
        self._moved_username: str | None = None
        # Kernels started from now on copy this process's environment: the secret leaves it.
        os.environ.pop("GIT_PASS", None)
        # A base64 answer of the largest file, plus room for the JSON around it.
        max_message = config.max_file_size * 4 // 3 + 2**20
        # The client holds the service only weakly: a service whose contents manager
        # is gone is collected, and its finalizer stops the engine process.
        node_path = config.node_path  # not `config` itself: the client must not hold the service
        self._client = EngineClient(
            lambda: [find_node(node_path), *default("ENGINE_NODE_FLAGS"), ENGINE_BUNDLE],
            _weakly(self._engine_environment),
            log,
            on_start=_weakly(self._send_secrets),
            max_message_bytes=max_message,
        )
        weakref.finalize(self, self._client.stop, 2.0)

    # -- checkpoints ---------------------------------------------------------------

    @property
    def history_length(self) -> int:
        return self._config.history_length

    async def create(
        self, path: str, message: str | None = None, *, pushed: bool = False
    ) -> dict[str, Any]:
        """Commits the file as saved on disk; with ``pushed``, says whether it is on the remote."""
        params: dict[str, Any] = {"path": self._paths.to_repo(path), "pushed": pushed}
        if message is not None:
            params["message"] = message
        return await self._client.request("create", params)

    def in_repository(self, path: str) -> bool:
        """Whether git keeps this path's checkpoints (InvalidPath for paths leaving the root)."""
        return self._paths.in_repository(path)

    async def list(self, path: str, limit: int, *, pushed: bool = False) -> list[dict[str, Any]]:
        """The file's last ``limit`` checkpoints, oldest first."""
        return await self._client.request(
            "list", {"path": self._paths.to_repo(path), "limit": limit, "pushed": pushed}
        )

    async def read(self, path: str, checkpoint_id: str) -> bytes:
        result = await self._client.request(
            "read", {"path": self._paths.to_repo(path), "id": checkpoint_id}
        )
        return base64.b64decode(result["content"])

    async def restore(self, path: str, checkpoint_id: str) -> dict[str, Any]:
        return await self._client.request(
            "restore", {"path": self._paths.to_repo(path), "id": checkpoint_id}
        )

    async def hide(self, path: str, checkpoint_id: str) -> None:
        await self._client.request("hide", {"path": self._paths.to_repo(path), "id": checkpoint_id})

    async def rename(self, old_path: str, new_path: str) -> dict[str, Any] | None:
        return await self._client.request(
            "rename",
            {"oldPath": self._paths.to_repo(old_path), "newPath": self._paths.to_repo(new_path)},
        )

    async def delete(self, path: str) -> dict[str, Any] | None:
        return await self._client.request("delete", {"path": self._paths.to_repo(path)})

    async def page(self, path: str, limit: int, cursor: str | None) -> dict[str, Any]:
        """One page of the file's checkpoints, newest first: ``{checkpoints, cursor}``."""
        params: dict[str, Any] = {"path": self._paths.to_repo(path), "limit": limit}
        if cursor:
            params["cursor"] = cursor
        return await self._client.request("page", params)

    async def deleted(self, folder: str) -> list[dict[str, Any]]:
        """Files deleted under a folder, newest first, with API paths."""
        found = await self._client.request("deleted", {"dir": self._paths.dir_to_repo(folder)})
        files = []
        for item in found:
            api_path = self._paths.from_repo(item["path"])
            if api_path is not None:
                files.append({**item, "path": api_path})
        return files

    async def recover(self, path: str, checkpoint_id: str) -> dict[str, Any]:
        return await self._client.request(
            "recover", {"path": self._paths.to_repo(path), "id": checkpoint_id}
        )

    async def rename_checkpoint(
        self, path: str, checkpoint_id: str, message: str
    ) -> dict[str, Any]:
        return await self._client.request(
            "renameCheckpoint",
            {"path": self._paths.to_repo(path), "id": checkpoint_id, "message": message},
        )

    # -- repository and remote -----------------------------------------------------

    async def status(self) -> dict[str, Any]:
        status = await self._client.request("status")
        return {**status, "credentials_in_url": self.credentials_in_url()}

    def credentials_in_url(self) -> list[str]:
        """The remotes in .git/config whose URL carries a password (the original system's)."""
        return [found.remote for found in credentials_in_urls(self._git_dir)]

    async def move_url_credentials(self) -> dict[str, Any]:
        """Takes credentials out of remote URLs; the checkpoint remote's is kept in memory."""
        moved = move_credentials_out(self._git_dir)
        remote = self.remote
        for found in moved:
            self._log.info("gitcheckpoints: moved the credential out of remote '%s'", found.remote)
            if remote.url and found.url.rstrip("/") == remote.url.rstrip("/"):
                if not remote.username and found.username:
                    self._moved_username = found.username
                    await self._client.request(
                        "configure", {"remote": {"url": remote.url, "username": found.username}}
                    )
                if not self._password and found.password:
                    await self._client.request("configure", {"password": found.password})
                    self._password = found.password
        return {"moved": [found.remote for found in moved]}

    async def push(self) -> dict[str, Any]:
        """Starts a push now; answers with the status at once."""
        return await self._client.request("push")

    @property
    def remote(self) -> RemoteSettings:
        """The effective remote settings (stored over traitlets over environment)."""
        settings = self._stored.over(self._config.configured_remote())
        if not settings.username and self._moved_username:
            settings = replace(settings, username=self._moved_username)
        return settings

    def remote_settings(self) -> dict[str, Any]:
        """``IRemoteSettings``: never the password, only whether there is one."""
        return {**asdict(self.remote), "has_password": bool(self._password)}

    async def set_remote(self, body: Any) -> dict[str, Any]:
        """Replaces the stored settings; the engine checks the remote before they are kept.

        The remote changes live; the author's email and the environment (branch of
        a new repository) are start settings, so the engine restarts to take them.
        """
        stored = RemoteSettings.from_json(body)
        before = self.remote
        after = stored.over(self._config.configured_remote())
        await self._client.request(
            "configure",
            {
                "remote": {"url": after.url, "username": after.username} if after.url else None,
                "push": after.push is not False,
            },
        )
        self._stored = stored
        self._store.save(stored)
        if (after.email, after.environment) != (before.email, before.environment):
            await self._client.restart()
        return self.remote_settings()

    async def set_password(self, body: Any) -> None:
        password = body.get("password") if isinstance(body, dict) else None
        if not (isinstance(body, dict) and set(body) == {"password"}) or not (
            password is None or isinstance(password, str)
        ):
            raise CheckpointsError.invalid_argument('The body must be {"password": string | null}')
        password = password or None
        await self._client.request("configure", {"password": password})
        self._password = password

    # -- process -------------------------------------------------------------------

    def start(self) -> None:
        """Starts the engine now, in the background, so that pending pushes resume."""

        def report(started: concurrent.futures.Future[Any]) -> None:
            if started.exception() is not None:
                self._log.error("gitcheckpoints: the engine did not start: %s", started.exception())

        self._client.submit("status").add_done_callback(report)
        for remote in self.credentials_in_url():
            self._log.warning(
                "gitcheckpoints: the URL of remote '%s' in %s/config holds a password;"
                " run 'Move the credential out of the remote URL' (POST"
                " git-checkpoints/remote/url-credentials) to keep it in memory only",
                remote,
                self._git_dir,
            )

    @property
    def engine_pid(self) -> int | None:
        return self._client.pid

    @property
    def _git_dir(self) -> str:
        return os.path.join(os.path.realpath(self._config.repo_dir), ".git")

    def close(self) -> None:
        self._client.stop()

    def _engine_environment(self) -> dict[str, str]:
        remote = self.remote
        env = {k: v for k, v in os.environ.items() if k not in SECRET_ENVIRONMENT}
        env.update(
            GITCHECKPOINTS_DIR=os.path.realpath(self._config.repo_dir),
            GITCHECKPOINTS_USER=self._config.user,
            GITCHECKPOINTS_ENVIRONMENT=remote.environment or "",
            GITCHECKPOINTS_BRANCH_TEMPLATE=self._config.branch_template,
            GITCHECKPOINTS_EMAIL=remote.email or "",
            GITCHECKPOINTS_REMOTE_URL=remote.url or "",
            GITCHECKPOINTS_REMOTE_USER=remote.username or "",
            GITCHECKPOINTS_PUSH="0" if remote.push is False else "1",
            GITCHECKPOINTS_MAX_FILE_SIZE=str(self._config.max_file_size),
            GITCHECKPOINTS_AWAIT_PASSWORD="1" if self._password else "0",
        )
        return env

    async def _send_secrets(self, client: EngineClient) -> None:
        if self._password:
            await client.call_during_start("configure", {"password": self._password})

    def _load_stored(self) -> RemoteSettings:
        try:
            return self._store.load()
        except (OSError, ValueError, CheckpointsError) as error:
            self._log.warning(
                "gitcheckpoints: ignoring unreadable remote settings %s (%s)",
                self._store.path,
                error,
            )
            return RemoteSettings()


def _weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` without keeping its object alive."""
    ref = weakref.WeakMethod(method)

    def call(*args: Any) -> Any:
        bound = ref()
        if bound is None:
            raise CheckpointsError.unavailable("the checkpoint service has been closed")
        return bound(*args)

    return call


def _remote_credential(config: GitCheckpointsConfig, log: logging.Logger) -> str | None:
    """The remote's password: GIT_PASS, or with the gateway the user's own hub token."""
    if config.remote_auth != "jupyterhub":
        return config.remote_password
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if not token:
        log.warning("gitcheckpoints: GIT_AUTH=jupyterhub but JUPYTERHUB_API_TOKEN is not set")
    return token or None
