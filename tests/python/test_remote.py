"""Pushing to a real git remote on loopback (git http-backend behind Basic auth)."""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import subprocess
import time
from pathlib import Path

import pytest

from git_remote import GitRemote
from helpers import BRANCH, USER, log_of

PASSWORD = f"pw-{secrets.token_hex(8)}"
WRONG_PASSWORD = f"wrong-{secrets.token_hex(8)}"


@pytest.fixture
def remote(tmp_path: Path):
    served = GitRemote(tmp_path / "remote", USER, PASSWORD)
    served.start()
    yield served
    served.stop()


@pytest.fixture
def remote_password() -> str:
    """The password the server is given (GIT_PASS); tests of a wrong one override it."""
    return PASSWORD


@pytest.fixture
def jp_server_config(remote: GitRemote, remote_password: str, monkeypatch: pytest.MonkeyPatch):
    """The remote as JupyterHub's spawner passes it: the original's environment variables."""
    monkeypatch.setenv("GIT_URL", remote.url)
    monkeypatch.setenv("GIT_USER", USER)
    monkeypatch.setenv("GIT_PASS", remote_password)
    return {"ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}}}


async def wait_for_status(api, condition, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        status, body = await api("git-checkpoints", "status")
        assert status == 200, body
        if condition(body):
            return body
        assert time.monotonic() < deadline, f"status never matched: {body}"
        await asyncio.sleep(0.1)


def pushed(status: dict) -> bool:
    return status["state"] == "pushed" and status["pending"] == 0


async def checkpoint(api, home: Path, path: str, text: str) -> dict:
    (home / path).write_text(text)
    status, body = await api("api", "contents", path, "checkpoints", method="POST")
    assert status == 201, body
    return body


async def test_checkpoints_are_pushed(api, home, git, remote, assert_repository_sound):
    for version in range(3):
        await checkpoint(api, home, "a.txt", f"v{version}\n")
    status = await wait_for_status(api, pushed)
    assert status["remote"] == remote.url
    assert status["branch"] == BRANCH and status["last_error"] is None
    assert status["last_push"] is not None
    assert remote.git("log", "--format=%H", BRANCH).split() == log_of(git)

    _, history = await api("git-checkpoints", "history", "a.txt")
    assert [c["pushed"] for c in history["checkpoints"]] == [True, True, True]
    # The user's own git can use the remote: it is in .git/config, without credentials.
    assert git("config", "remote.checkpoints.url").strip() == remote.url
    assert_repository_sound()


@pytest.mark.parametrize("remote_password", [WRONG_PASSWORD])
async def test_wrong_password_saves_succeed_and_no_retry_storm(api, home, remote):
    for version in range(3):
        await checkpoint(api, home, "a.txt", f"v{version}\n")
    status = await wait_for_status(api, lambda s: s["state"] == "failing")
    assert "authentication failed" in status["last_error"]
    assert status["pending"] == 3
    await asyncio.sleep(5)  # the default backoff would have retried twice by now
    refused = [r for r in remote.requests() if r.endswith(" 401")]
    assert 1 <= len(refused) <= 3 * 2, refused
    assert remote.requests() == refused  # nothing got through
    status, body = await api("git-checkpoints", "status")
    assert body["state"] == "failing" and body["pending"] == 3


async def test_remote_down_for_20_saves_then_up(api, home, git, remote, assert_repository_sound):
    await checkpoint(api, home, "a.txt", "first\n")
    await wait_for_status(api, pushed)
    remote.stop()
    for version in range(20):
        started = time.monotonic()
        await checkpoint(api, home, "a.txt", f"offline {version}\n")
        assert time.monotonic() - started < 5  # saves never wait for the remote
    status = await wait_for_status(api, lambda s: s["state"] == "failing")
    assert status["pending"] == 20
    assert "refused" in status["last_error"]

    remote.start()  # same port
    status, body = await api("git-checkpoints", "push", method="POST")
    assert status == 202 and body["remote"] == remote.url
    await wait_for_status(api, pushed)
    assert remote.git("log", "--format=%H", BRANCH).split() == log_of(git)
    assert len(log_of(git)) == 21
    assert_repository_sound()


async def test_remote_ahead_on_other_files_is_merged(
    api, home, git, remote, tmp_path, assert_repository_sound
):
    first = await checkpoint(api, home, "a.txt", "mine\n")
    await wait_for_status(api, pushed)

    # Another server of the same user pushes to the same branch.
    other = tmp_path / "other"
    subprocess.run(
        ["git", "clone", "-q", "-b", BRANCH, remote_url_with_auth(remote), str(other)], check=True
    )
    (other / "theirs.txt").write_text("theirs\n")
    run_git(other, "add", "theirs.txt")
    run_git(
        other, "-c", "user.name=other", "-c", "user.email=o@x.invalid", "commit", "-qm", "theirs"
    )
    run_git(other, "push", "-q", "origin", BRANCH)
    theirs = run_git(other, "rev-parse", "HEAD").strip()

    second = await checkpoint(api, home, "a.txt", "mine again\n")
    await wait_for_status(api, pushed)
    remote_log = remote.git("log", "--format=%H", BRANCH).split()
    assert {first["id"], second["id"], theirs} <= set(remote_log)
    assert remote.git("show", f"{BRANCH}:a.txt") == "mine again\n"
    assert remote.git("show", f"{BRANCH}:theirs.txt") == "theirs\n"
    assert (home / "theirs.txt").read_text() == "theirs\n"
    assert_repository_sound()


async def test_remote_ahead_on_the_same_file_is_reported_and_nothing_lost(
    api, home, git, remote, tmp_path
):
    await checkpoint(api, home, "a.txt", "base\n")
    await wait_for_status(api, pushed)
    other = tmp_path / "other"
    subprocess.run(
        ["git", "clone", "-q", "-b", BRANCH, remote_url_with_auth(remote), str(other)], check=True
    )
    (other / "a.txt").write_text("theirs\n")
    run_git(
        other, "-c", "user.name=other", "-c", "user.email=o@x.invalid", "commit", "-qam", "theirs"
    )
    run_git(other, "push", "-q", "origin", BRANCH)
    theirs = run_git(other, "rev-parse", "HEAD").strip()

    mine = await checkpoint(api, home, "a.txt", "mine\n")
    status = await wait_for_status(api, lambda s: s["state"] == "diverged")
    assert "a.txt" in status["last_error"]
    assert remote.git("rev-parse", BRANCH).strip() == theirs  # never force-pushed
    assert log_of(git)[0] == mine["id"] and (home / "a.txt").read_text() == "mine\n"


@pytest.fixture
def remote_with_history(remote: GitRemote, tmp_path: Path) -> list[str]:
    """The branch as another pod pushed it before this home was wiped: two versions of nb.txt."""
    work = tmp_path / "earlier-home"
    run_git(tmp_path, "init", "-q", "-b", BRANCH, str(work))
    for version in ("one\n", "two\n"):
        (work / "nb.txt").write_text(version)
        run_git(work, "add", "nb.txt")
        run_git(
            work,
            "-c",
            f"user.name={USER}",
            "-c",
            "user.email=a@x.invalid",
            "commit",
            "-qm",
            version,
        )
    run_git(work, "push", "-q", remote_url_with_auth(remote), BRANCH)
    return run_git(work, "log", "--format=%H").split()


async def test_fresh_home_gets_its_history_back(remote_with_history, api, home, git):
    status = await wait_for_status(api, lambda s: s["head"] is not None and pushed(s))
    assert status["head"] == remote_with_history[0]
    assert (home / "nb.txt").read_text() == "two\n"
    _, listed = await api("api", "contents", "nb.txt", "checkpoints")
    assert [c["id"] for c in listed] == list(reversed(remote_with_history))
    # Work goes on from there.
    await checkpoint(api, home, "nb.txt", "three\n")
    await wait_for_status(api, pushed)
    assert log_of(git)[1:] == remote_with_history


async def test_remote_settings_and_password_through_rest(
    api, home, git, remote, monkeypatch, jp_serverapp, assert_repository_sound
):
    status, settings = await api("git-checkpoints", "remote")
    assert status == 200
    assert settings == {
        "url": remote.url,
        "username": USER,
        "email": "alice@example.org",
        "environment": "test",
        "push": True,
        "has_password": True,
    }
    # A URL with credentials in it is refused and changes nothing.
    leaky = remote.url.replace("http://", f"http://{USER}:{PASSWORD}@")
    status, body = await api("git-checkpoints", "remote", method="PUT", body={"url": leaky})
    assert status == 400 and body["code"] == "InvalidArgument"
    assert PASSWORD not in body["message"]
    assert (await api("git-checkpoints", "remote"))[1] == settings

    # Remove the password: pushes fail with a reason; set it again: they go through.
    status, _ = await api(
        "git-checkpoints", "remote", "password", method="PUT", body={"password": None}
    )
    assert status == 204
    assert (await api("git-checkpoints", "remote"))[1]["has_password"] is False
    await checkpoint(api, home, "a.txt", "one\n")
    await wait_for_status(api, lambda s: s["state"] == "failing")
    status, _ = await api(
        "git-checkpoints", "remote", "password", method="PUT", body={"password": PASSWORD}
    )
    assert status == 204
    await api("git-checkpoints", "push", method="POST")
    await wait_for_status(api, pushed)

    # Settings from the editor override the environment, are stored without secrets,
    # and survive an engine restart (the author email is a start setting).
    status, settings = await api(
        "git-checkpoints",
        "remote",
        method="PUT",
        body={"email": "a.smith@example.org", "push": True},
    )
    assert (
        status == 200
        and settings["email"] == "a.smith@example.org"
        and settings["url"] == remote.url
    )
    await checkpoint(api, home, "a.txt", "two\n")
    assert git("log", "-1", "--format=%ae").strip() == "a.smith@example.org"
    await wait_for_status(api, pushed)  # the password survived the restart (sent over stdin again)
    assert_repository_sound()


async def test_no_credential_anywhere(
    api, home, git, remote, responses, caplog, jp_serverapp, tmp_path
):
    caplog.set_level("DEBUG")
    await checkpoint(api, home, "a.txt", "one\n")
    await wait_for_status(api, pushed)
    await api("git-checkpoints", "history", "a.txt")
    await api("git-checkpoints", "remote")
    await api("git-checkpoints", "remote", method="PUT", body={"push": True})
    await api(
        "git-checkpoints", "remote", "password", method="PUT", body={"password": WRONG_PASSWORD}
    )
    await checkpoint(api, home, "a.txt", "two\n")
    await wait_for_status(api, lambda s: s["state"] == "failing")
    await api("git-checkpoints", "remote", "password", method="PUT", body={"password": PASSWORD})
    await api("git-checkpoints", "push", method="POST")
    await wait_for_status(api, pushed)

    secrets_ = [PASSWORD, WRONG_PASSWORD, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()]
    leaks = []
    for body in responses:
        leaks += [("response", s) for s in secrets_ if s.encode() in body]
    log_text = "\n".join(record.getMessage() for record in caplog.records)
    assert "checkpoint engine" in log_text  # the engine's stderr reached the log
    leaks += [("server log", s) for s in secrets_ if s in log_text]
    for path in tmp_path.rglob("*"):  # home and its repository, Jupyter's dirs, the remote
        if path.is_file():
            content = path.read_bytes()
            leaks += [(str(path), s) for s in secrets_ if s.encode() in content]
    pid = jp_serverapp.contents_manager.checkpoints.service.engine_pid
    for name in ("cmdline", "environ"):
        content = Path(f"/proc/{pid}/{name}").read_bytes()
        leaks += [(f"engine {name}", s) for s in secrets_ if s.encode() in content]
    assert leaks == []


def remote_url_with_auth(remote: GitRemote) -> str:
    """For the test's own git CLI only (a throwaway clone), never the product."""
    return remote.url.replace("http://", f"http://{USER}:{PASSWORD}@")


def run_git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=env
    ).stdout


async def test_push_off_keeps_checkpoints_local_until_it_is_on_again(api, home, git, remote):
    await checkpoint(api, home, "a.txt", "one\n")
    await wait_for_status(api, pushed)
    status, settings = await api("git-checkpoints", "remote", method="PUT", body={"push": False})
    assert status == 200 and settings["push"] is False and settings["url"] == remote.url
    served = len(remote.requests())
    await checkpoint(api, home, "a.txt", "two\n")
    await asyncio.sleep(1)
    _, status_body = await api("git-checkpoints", "status")
    assert (status_body["state"], status_body["remote"]) == ("local", None)
    assert len(remote.requests()) == served  # the remote was left alone
    await api("git-checkpoints", "remote", method="PUT", body={"push": True})
    await wait_for_status(api, pushed)
    assert remote.git("rev-parse", BRANCH).strip() == log_of(git)[0]


async def test_a_pushed_checkpoint_keeps_its_message(api, home, git, remote):
    created = await checkpoint(api, home, "n.txt", "1\n")
    await wait_for_status(api, pushed)
    status, error = await api(
        "git-checkpoints",
        "checkpoints",
        "n.txt",
        method="PATCH",
        body={"id": created["id"], "message": "new name"},
    )
    assert (status, error["code"], error["data"]["reason"]) == (409, "NotAmendable", "pushed")
    assert git("log", "-1", "--format=%H %s") == f"{created['id']} Checkpoint n.txt\n"
    assert remote.git("log", "-1", "--format=%H", BRANCH).strip() == created["id"]
