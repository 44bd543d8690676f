"""A real JupyterHub on loopback (tests/hub/jupyterhub_config.py), driven over its REST API."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float = 60.0, what: str = "condition"):
    """Polls for an outcome (not a timing assertion): returns the first truthy value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


class Hub:
    def __init__(self, state: Path, env: dict[str, str], answers: list[bytes]) -> None:
        self.state = state
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)
        self.log = state / "hub.log"
        #: Every body a single-user server or the hub answered, for the credential scan.
        self.answers = answers
        self._env = {
            **os.environ,
            **env,
            "HUB_PUBLIC_URL": self.url,
            "HUB_STATE_DIR": str(state),
            "HUB_API_PORT": str(free_port()),
            "CHP_API_PORT": str(free_port()),
            "CHP_COMMAND": str(CHP),
            "GATEWAY_URL": f"http://127.0.0.1:{free_port()}",
            "HUB_DRIVER_TOKEN": self.token,
            "PYTHONPATH": str(HERE),
        }
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def gateway_url(self) -> str:
        return f"{self.url}/services/git-checkpoints/checkpoints.git"

    def start(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self._process = subprocess.Popen(
                [
                    os.path.join(os.path.dirname(sys.executable), "jupyterhub"),
                    "-f",
                    str(HERE / "jupyterhub_config.py"),
                ],
                cwd=self.state,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self) -> None:
        def up() -> bool:
            assert self._process is not None and self._process.poll() is None, self.log_text()
            try:
                return requests.get(f"{self.url}/hub/api", timeout=2).status_code == 200
            except requests.ConnectionError:
                return False

        wait_until(up, what="the hub")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(30)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def home(self, user: str) -> Path:
        return self.state / "homes" / user

    # -- the hub's REST API (as the test-driver service) --------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A request through the proxy as the test-driver service; its answer is kept."""
        response = requests.request(
            method,
            f"{self.url}/{path}",
            headers={"Authorization": f"token {self.token}"},
            timeout=60,
            **kwargs,
        )
        self.answers.append(response.content)
        return response

    def hub_api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.request(method, f"hub/api/{path}", **kwargs)

    def start_server(self, user: str) -> None:
        """Asks for the server; ``wait_server`` waits until it is up (servers start in parallel)."""
        self.hub_api("POST", "users", json={"usernames": [user]})
        response = self.hub_api("POST", f"users/{user}/server")
        assert response.status_code in (201, 202), response.text

    def wait_server(self, user: str) -> None:
        def ready() -> bool:
            model = self.hub_api("GET", f"users/{user}").json()
            server = model.get("servers", {}).get("")
            return bool(server and server.get("ready"))

        wait_until(ready, what=f"{user}'s server")

    def stop_server(self, user: str) -> None:
        response = self.hub_api("DELETE", f"users/{user}/server")
        assert response.status_code in (202, 204), response.text
        wait_until(
            lambda: "" not in self.hub_api("GET", f"users/{user}").json().get("servers", {}),
            what=f"{user}'s server to stop",
        )

    def user_token(self, user: str) -> str:
        response = self.hub_api("POST", f"users/{user}/tokens", json={"note": "test"})
        assert response.status_code == 201, response.text
        return response.json()["token"]

    # -- a user's server, through the proxy --------------------------------------------

    def user_api(self, user: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.request(method, f"user/{user}/{path}", **kwargs)

    def status(self, user: str) -> dict[str, Any]:
        response = self.user_api(user, "GET", "git-checkpoints/status")
        assert response.status_code == 200, response.text
        return response.json()

    def wait_pushed(self, user: str) -> dict[str, Any]:
        def pushed():
            status = self.status(user)
            return status if status["state"] == "pushed" and status["pending"] == 0 else None

        return wait_until(pushed, what=f"{user}'s push")

    def save(self, user: str, path: str, text: str) -> None:
        """Saves a text file and creates its checkpoint, as Ctrl+S in JupyterLab does."""
        model = {"type": "file", "format": "text", "content": text}
        response = self.user_api(user, "PUT", f"api/contents/{path}", json=model)
        assert response.status_code in (200, 201), response.text
        response = self.user_api(user, "POST", f"api/contents/{path}/checkpoints")
        assert response.status_code == 201, response.text
