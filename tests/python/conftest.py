"""Fixtures: a real Jupyter Server on loopback with git checkpoints, and the git CLI to check it.

The server runs in-process (pytest-jupyter) and is reached over HTTP; the
engine is the real Node process built from src/server by scripts/build-engine.mjs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

pytest_plugins = ["pytest_jupyter.jupyter_server"]

from helpers import EMAIL, ENVIRONMENT, USER, Pauses  # noqa: E402  (after the sys.path line)


@pytest.fixture(scope="session", autouse=True)
def engine_bundle() -> Path:
    """Builds the engine bundle from the current sources once per session (~1 s)."""
    subprocess.run(["node", "scripts/build-engine.mjs"], cwd=ROOT, check=True)
    return ROOT / "gitcheckpoints" / "engine" / "main.js"


@pytest.fixture(autouse=True)
def checkpoint_environment(
    jp_environ: Any, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The original's variables, as a JupyterHub spawner would set them; no remote."""
    for name in ("GIT_URL", "GIT_USER", "GIT_PASS", "DEBUG_HOME", "GIT_AUTH", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USER", USER)
    monkeypatch.setenv("GIT_EMAIL", EMAIL)
    monkeypatch.setenv("DEPLOY_ENV", ENVIRONMENT)
    # Test only: the engine's pause points (src/server/pausePoints.ts), held through `pauses`.
    monkeypatch.setenv("GITCHECKPOINTS_TEST_PAUSE_DIR", str(tmp_path_factory.mktemp("pauses")))


@pytest.fixture
def pauses(checkpoint_environment: None) -> Pauses:
    """Holds the engine at a named step of a write, to drive a race or a kill."""
    return Pauses(Path(os.environ["GITCHECKPOINTS_TEST_PAUSE_DIR"]))


@pytest.fixture
def jp_root_dir(jp_home_dir: Path) -> Path:
    """Jupyter serves the home directory, where the repository lives (as on JupyterHub)."""
    return jp_home_dir


@pytest.fixture
def jp_server_config() -> dict[str, Any]:
    return {"ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}}}


@pytest.fixture
def home(jp_home_dir: Path) -> Path:
    return jp_home_dir


@pytest.fixture
def git(home: Path) -> Callable[..., str]:
    """Runs the git CLI in the repository; returns stdout, raises on failure."""

    def run(*args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["git", *args], cwd=home, capture_output=True, text=True, check=False
        )
        if check and result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    return run


@pytest.fixture
def assert_repository_sound(git: Callable[..., str]) -> Callable[[], None]:
    """git fsck --strict finds nothing, and no lock file is left behind."""

    def check() -> None:
        git("fsck", "--strict", "--no-progress")
        gitdir = Path(git("rev-parse", "--absolute-git-dir").strip())
        locks = [str(p) for p in gitdir.rglob("*.lock")]
        assert locks == [], f"lock files left: {locks}"

    return check


@pytest.fixture
def responses() -> list[bytes]:
    """Every response body ``api`` received, for the credential scan."""
    return []


@pytest.fixture
def api(jp_fetch: Any, responses: list[bytes]) -> Callable[..., Any]:
    """A JSON request to the server; returns (status, body) and never raises on 4xx/5xx."""

    async def request(*parts: str, method: str = "GET", body: Any = None, **kwargs: Any):
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        if body is None and method in ("POST", "PUT", "PATCH"):
            body = b""
        response = await jp_fetch(*parts, method=method, body=body, raise_error=False, **kwargs)
        responses.append(response.body or b"")
        text = response.body.decode() if response.body else ""
        try:
            return response.code, (json.loads(text) if text else None)
        except ValueError:  # an HTML error page (e.g. a 404 from Tornado)
            return response.code, text

    return request


@pytest.fixture
def save(api: Callable[..., Any]) -> Callable[..., Any]:
    """Saves a notebook or a text file through PUT /api/contents (what the browser does)."""

    async def put(path: str, content: Any) -> dict[str, Any]:
        if isinstance(content, str):
            model = {"type": "file", "format": "text", "content": content}
        else:
            model = {"type": "notebook", "content": content}
        status, body = await api("api", "contents", path, method="PUT", body=model)
        assert status in (200, 201), body
        return body

    return put
