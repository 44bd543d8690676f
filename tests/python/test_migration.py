"""A home the original system set up: everything committed, its .gitignore, and `origin`
with the password in its URL. It keeps working, warns, and the credential can be moved out."""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

import pytest

from git_remote import GitRemote, serving
from helpers import BRANCH, EMAIL, USER

PASSWORD = f"orig-{secrets.token_hex(8)}"
ORIGINAL_GITIGNORE = ".ipynb_checkpoints/\n.local/\n.cache/\n"


@pytest.fixture
def remote(tmp_path: Path):
    with serving(tmp_path / "remote", USER, PASSWORD) as served:
        yield served


@pytest.fixture
def original_home(jp_home_dir: Path, remote: GitRemote) -> Path:
    """What the original left: `git add -A` of the whole home on <USER>-<DEPLOY_ENV>, pushed."""

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=jp_home_dir, check=True, capture_output=True)

    (jp_home_dir / ".gitignore").write_text(ORIGINAL_GITIGNORE)
    (jp_home_dir / "analysis.ipynb").write_text("{}\n")
    (jp_home_dir / "data.csv").write_text("a,b\n1,2\n")
    git("init", "-q", "-b", BRANCH)
    git("-c", f"user.name={USER}", "-c", f"user.email={EMAIL}", "add", "-A")
    git("-c", f"user.name={USER}", "-c", f"user.email={EMAIL}", "commit", "-qm", "checkpoint")
    with_password = remote.url.replace("http://", f"http://{USER}:{PASSWORD}@")
    git("remote", "add", "origin", with_password)
    git("push", "-q", "origin", BRANCH)
    return jp_home_dir


@pytest.fixture
def server_log(capfd):
    """Reads what the server logged from before its start (its log goes to stderr then)."""
    return lambda: capfd.readouterr().err


@pytest.fixture
def jp_server_config(original_home, remote, monkeypatch, server_log):
    # The original's own variables, but no GIT_PASS: the password is only in the URL.
    monkeypatch.setenv("GIT_URL", remote.url)
    monkeypatch.setenv("GIT_USER", USER)
    return {"ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}}}


async def test_an_original_home_keeps_working_and_its_credential_moves_out(
    api, git, remote, server_log, assert_repository_sound
):
    from test_remote import pushed, wait_for_status

    before = git("rev-parse", "HEAD").strip()
    status, body = await api("git-checkpoints", "status")
    assert status == 200 and body["credentials_in_url"] == ["origin"]
    log = server_log()
    assert "the URL of remote 'origin'" in log and "holds a password" in log
    assert PASSWORD not in log

    (Path(git("rev-parse", "--show-toplevel").strip()) / "analysis.ipynb").write_text("{ }\n")
    status, checkpoint = await api(
        "api", "contents", "analysis.ipynb", "checkpoints", method="POST"
    )
    assert status == 201
    assert git("rev-parse", "HEAD~1").strip() == before
    assert git("rev-parse", "HEAD").strip() == checkpoint["id"]
    assert git("show", "HEAD:.gitignore") == ORIGINAL_GITIGNORE
    assert git("ls-tree", "--name-only", "HEAD").split() == [
        ".gitignore",
        "analysis.ipynb",
        "data.csv",
    ]

    status, moved = await api("git-checkpoints", "remote", "url-credentials", method="POST")
    assert status == 200 and moved == {"moved": ["origin"]}
    assert git("config", "remote.origin.url").strip() == remote.url
    gitdir = Path(git("rev-parse", "--absolute-git-dir").strip())
    assert PASSWORD not in (gitdir / "config").read_text()
    _, body = await api("git-checkpoints", "status")
    assert body["credentials_in_url"] == []
    # The password now lives in the server's memory: the checkpoint remote pushes with it.
    status = await wait_for_status(api, pushed)
    assert remote.git("rev-parse", BRANCH).strip() == checkpoint["id"]
    assert_repository_sound()
