"""Ways to turn git checkpoints on, contents managers, where the repository is, and settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitcheckpoints import GitCheckpoints, SyncGitCheckpoints
from gitcheckpoints.handlers import route_table

from helpers import first_source, log_of, notebook

SYNC_MANAGER = "jupyter_server.services.contents.largefilemanager.LargeFileManager"


async def round_trip(api, home: Path, git, path: str = "a.txt") -> None:
    """Create, list, restore, rename and delete through the standard API; git confirms each."""
    (home / path).write_text("one\n")
    status, one = await api("api", "contents", path, "checkpoints", method="POST")
    assert status == 201, one
    (home / path).write_text("two\n")
    status, two = await api("api", "contents", path, "checkpoints", method="POST")
    assert status == 201
    assert log_of(git)[:2] == [two["id"], one["id"]]
    status, listed = await api("api", "contents", path, "checkpoints")
    assert listed == [one, two]
    status, _ = await api("api", "contents", path, "checkpoints", one["id"], method="POST")
    assert status == 204 and (home / path).read_text() == "one\n"
    status, _ = await api("api", "contents", path, method="PATCH", body={"path": "renamed.txt"})
    assert status == 200 and "renamed.txt" in git("ls-tree", "--name-only", "HEAD")
    status, _ = await api("api", "contents", "renamed.txt", method="DELETE")
    assert status == 204 and git("ls-tree", "--name-only", "HEAD") == ""
    git("fsck", "--strict", "--no-progress")


@pytest.fixture
def stop_engine(jp_serverapp):
    """Without the extension nothing stops the engine with the server: the test does."""
    yield
    jp_serverapp.contents_manager.checkpoints.close()


class TestCheckpointsClassLineAlone:
    @pytest.fixture
    def jp_server_config(self):
        return {
            "ServerApp": {"jpserver_extensions": {"gitcheckpoints": False}},
            "ContentsManager": {"checkpoints_class": "gitcheckpoints.GitCheckpoints"},
        }

    async def test_standard_api_is_git_backed(self, api, home, git, jp_serverapp, stop_engine):
        assert type(jp_serverapp.contents_manager.checkpoints) is GitCheckpoints
        await round_trip(api, home, git)
        status, _ = await api("git-checkpoints", "status")
        assert status == 404  # the extra routes come with the extension only


class TestSyncContentsManager:
    @pytest.fixture
    def jp_server_config(self):
        return {
            "ServerApp": {
                "jpserver_extensions": {"gitcheckpoints": True},
                "contents_manager_class": SYNC_MANAGER,
            }
        }

    async def test_the_extension_installs_the_sync_face(self, api, home, git, jp_serverapp):
        assert type(jp_serverapp.contents_manager.checkpoints) is SyncGitCheckpoints
        await round_trip(api, home, git)
        status, body = await api("git-checkpoints", "history", "a.txt")
        assert status == 200 and len(body["checkpoints"]) >= 2


class TestSyncContentsManagerWithClassLine:
    @pytest.fixture
    def jp_server_config(self):
        return {
            "ServerApp": {
                "jpserver_extensions": {"gitcheckpoints": False},
                "contents_manager_class": SYNC_MANAGER,
            },
            "ContentsManager": {"checkpoints_class": "gitcheckpoints.SyncGitCheckpoints"},
        }

    async def test_standard_api_is_git_backed(self, api, home, git, save, stop_engine):
        await round_trip(api, home, git)
        await save("nb.ipynb", {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []})
        assert len(log_of(git, "nb.ipynb")) == 1


class TestRootBelowTheRepository:
    @pytest.fixture
    def jp_root_dir(self, jp_home_dir):
        root = jp_home_dir / "work"
        root.mkdir()
        return root

    async def test_paths_are_mapped_into_the_repository(self, api, jp_root_dir, git, home):
        (jp_root_dir / "a.txt").write_text("a\n")
        status, created = await api("api", "contents", "a.txt", "checkpoints", method="POST")
        assert status == 201
        assert git("ls-tree", "-r", "--name-only", "HEAD") == "work/a.txt\n"
        assert (home / ".git").is_dir()
        status, body = await api("git-checkpoints", "history", "a.txt")
        assert [c["id"] for c in body["checkpoints"]] == [created["id"]]
        assert body["path"] == "a.txt"


class TestRootAboveTheRepository:
    """root_dir = / on JupyterHub: the home's files in git, the rest with Jupyter's checkpoints."""

    @pytest.fixture
    def jp_root_dir(self, tmp_path):
        return tmp_path

    async def test_each_file_gets_the_checkpoints_of_where_it_is(
        self, capfd, api, save, home, git, tmp_path
    ):
        inside = f"{home.name}/a.txt"
        (home / "a.txt").write_text("a\n")
        status, created = await api("api", "contents", inside, "checkpoints", method="POST")
        assert status == 201 and log_of(git) == [created["id"]]

        (tmp_path / "scratch").mkdir()
        await save("scratch/n.ipynb", notebook("x"))  # a new notebook outside: saving works
        status, listed = await api("api", "contents", "scratch/n.ipynb", "checkpoints")
        assert status == 200 and len(listed) == 1
        assert (tmp_path / "scratch" / ".ipynb_checkpoints" / "n-checkpoint.ipynb").is_file()
        await save("scratch/n.ipynb", notebook("y"))
        status, _ = await api(
            "api", "contents", "scratch/n.ipynb", "checkpoints", listed[0]["id"], method="POST"
        )
        assert status == 204
        assert first_source((tmp_path / "scratch" / "n.ipynb").read_text()) == "x"
        assert log_of(git) == [created["id"]]  # none of it went into git

        status, body = await api("git-checkpoints", "history", "scratch/n.ipynb")
        assert status == 403 and "outside the checkpoint repository" in body["message"]
        # Moving a file into the home starts its git history; moving it out ends it.
        status, _ = await api(
            "api",
            "contents",
            "scratch/n.ipynb",
            method="PATCH",
            body={"path": f"{home.name}/n.ipynb"},
        )
        assert status == 200
        status, _ = await api(
            "api", "contents", inside, method="PATCH", body={"path": "scratch/a.txt"}
        )
        assert status == 200
        assert git("ls-tree", "--name-only", "HEAD") == ""
        # The extension warned when the server started (capfd is set up before the server).
        assert "is not inside the repository" in capfd.readouterr().err


class TestDebugHome:
    @pytest.fixture
    def jp_server_config(self, tmp_path, monkeypatch):
        self.repo = tmp_path / "debug-home"
        self.repo.mkdir()
        monkeypatch.setenv("DEBUG_HOME", str(self.repo))
        return {"ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}}}

    @pytest.fixture
    def jp_root_dir(self, jp_server_config):
        return self.repo

    async def test_the_repository_is_at_debug_home(self, api, home):
        (self.repo / "a.txt").write_text("a\n")
        status, _ = await api("api", "contents", "a.txt", "checkpoints", method="POST")
        assert status == 201
        assert (self.repo / ".git").is_dir() and not (home / ".git").exists()
        _, status_body = await api("git-checkpoints", "status")
        assert status_body["repository"] == str(self.repo.resolve())


class TestBranchAndAuthor:
    @pytest.fixture
    def jp_server_config(self, monkeypatch):
        monkeypatch.delenv("DEPLOY_ENV")
        monkeypatch.delenv("GIT_EMAIL")
        return {
            "ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}},
            "GitCheckpoints": {"email": "configured@example.org"},
        }

    async def test_branch_without_environment_and_traitlets_over_env(self, api, home, git):
        (home / "a.txt").write_text("a\n")
        await api("api", "contents", "a.txt", "checkpoints", method="POST")
        assert git("branch", "--show-current") == "alice\n"
        assert git("log", "-1", "--format=%an <%ae>") == "alice <configured@example.org>\n"
        _, settings = await api("git-checkpoints", "remote")
        assert settings == {
            "url": None,
            "username": None,
            "email": "configured@example.org",
            "environment": None,
            "push": True,
            "has_password": False,
        }
        _, status = await api("git-checkpoints", "status")
        assert (status["state"], status["remote"], status["pending"]) == ("local", None, 0)


async def test_stored_settings_override_and_null_falls_through(api, home, git, jp_data_dir):
    status, settings = await api(
        "git-checkpoints", "remote", method="PUT", body={"environment": "lab", "url": None}
    )
    assert status == 200 and settings["environment"] == "lab"
    assert settings["email"] == "alice@example.org"  # not given: from the environment
    stored = (jp_data_dir / "gitcheckpoints" / "remote.json").read_text()
    assert '"lab"' in stored and "password" not in stored
    # The environment names the branch of a new repository only: the one in this
    # home exists already, and switching it would rewrite the user's files.
    (home / "a.txt").write_text("a\n")
    await api("api", "contents", "a.txt", "checkpoints", method="POST")
    assert git("branch", "--show-current") == "alice-test\n"


async def test_every_route_needs_authentication(jp_serverapp, http_server_client, jp_base_url):
    for pattern, _handler, _kwargs in route_table(lambda: None):
        path = pattern.replace("(?P<path>(?:(?:/[^/]+)+|/?))", "/a.txt")
        for method in ("GET", "POST", "PUT"):
            response = await http_server_client.fetch(
                jp_base_url.rstrip("/") + "/" + path,
                method=method,
                body=None if method == "GET" else b"{}",
                raise_error=False,
            )
            assert response.code in (403, 405), (method, path, response.code)


async def test_posts_with_a_cookie_but_no_xsrf_token_are_refused(
    jp_serverapp, http_server_client, jp_base_url, jp_fetch, home, git
):
    (home / "a.txt").write_text("a\n")
    login = await jp_fetch("api", "status")  # token auth sets the login cookie
    cookies = "; ".join(c.split(";")[0] for c in login.headers.get_list("Set-Cookie"))
    assert cookies
    response = await http_server_client.fetch(
        jp_base_url.rstrip("/") + "/git-checkpoints/checkpoints/a.txt",
        method="POST",
        body=b"{}",
        headers={"Cookie": cookies},
        raise_error=False,
    )
    assert response.code == 403
    assert git("rev-parse", "--verify", "-q", "HEAD", check=False) == ""  # nothing committed
