"""The gateway, driven by the git CLI with a hub token: own branches only, fast-forward only."""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import pytest
import requests

from gitcheckpoints.gateway.pktline import read_packets


def git_as(user: str, token: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The git CLI with the user's hub token as the password (in the environment, not argv)."""
    basic = base64.b64encode(f"{user}:{token}".encode()).decode()
    env = {
        **os.environ,
        "GIT_CONFIG_COUNT": "3",
        "GIT_CONFIG_KEY_0": "http.extraHeader",
        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
        "GIT_CONFIG_KEY_1": "user.name",
        "GIT_CONFIG_VALUE_1": user,
        "GIT_CONFIG_KEY_2": "user.email",
        "GIT_CONFIG_VALUE_2": f"{user}@example.org",
        "GIT_TERMINAL_PROMPT": "0",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def bob(seeded, tmp_path_factory):
    """Bob's clone of the remote through the gateway, with a token of his own."""
    hub = seeded["prod"]
    token = hub.user_token("bob")
    work = tmp_path_factory.mktemp("bob")
    cloned = git_as("bob", token, "clone", "--quiet", hub.gateway_url, "work", cwd=work)
    assert cloned.returncode == 0, cloned.stderr

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return git_as("bob", token, *args, cwd=work / "work")

    run.token = token  # type: ignore[attr-defined]
    run.hub = hub  # type: ignore[attr-defined]
    return run


def refused_with(result: subprocess.CompletedProcess[str], status: int) -> bool:
    return result.returncode != 0 and f"{status}" in result.stderr


def test_bob_cannot_update_adas_branch(bob, remote):
    before = remote.git("rev-parse", "ada-prod")
    bob("checkout", "--quiet", "-B", "mine", "origin/ada-prod")
    Path(bob("rev-parse", "--show-toplevel").stdout.strip(), "notes.txt").write_text(
        "bob was here\n"
    )
    bob("commit", "--quiet", "-am", "over ada's work")
    assert refused_with(bob("push", "origin", "HEAD:refs/heads/ada-prod"), 403)
    assert remote.git("rev-parse", "ada-prod") == before
    assert "bob may not update refs/heads/ada-prod: not their branch" in bob.hub.log_text()


def test_bob_cannot_force_push_nor_delete_his_branch(bob, remote):
    before = remote.git("rev-parse", "bob-prod")
    bob("checkout", "--quiet", "--orphan", "rewrite")
    bob("commit", "--quiet", "--allow-empty", "-m", "history rewritten")
    assert refused_with(bob("push", "--force", "origin", "HEAD:refs/heads/bob-prod"), 403)
    assert refused_with(bob("push", "origin", ":refs/heads/bob-prod"), 403)
    assert remote.git("rev-parse", "bob-prod") == before
    log = bob.hub.log_text()
    assert "bob may not rewrite refs/heads/bob-prod: not a fast-forward" in log
    assert "bob may not delete refs/heads/bob-prod" in log


def test_bob_fast_forwards_his_branch(bob, remote):
    bob("checkout", "--quiet", "-B", "forward", "origin/bob-prod")
    top = Path(bob("rev-parse", "--show-toplevel").stdout.strip())
    (top / "from-the-cli.txt").write_text("pushed with git\n")
    bob("add", "from-the-cli.txt")
    bob("commit", "--quiet", "-m", "from the CLI")
    pushed = bob("push", "origin", "HEAD:refs/heads/bob-prod")
    assert pushed.returncode == 0, pushed.stderr
    assert remote.git("rev-parse", "bob-prod") == bob("rev-parse", "HEAD").stdout


def advertised(hub, token: str | None) -> requests.Response:
    headers = {"Authorization": f"token {token}"} if token else {}
    return requests.get(
        f"{hub.gateway_url}/info/refs?service=git-receive-pack", headers=headers, timeout=30
    )


def test_the_push_advertisement_lists_only_the_users_branches(bob):
    response = advertised(bob.hub, bob.token)
    assert response.status_code == 200
    _, offset = read_packets(response.content)
    refs, _ = read_packets(response.content, offset)
    names = [p.split(b"\0")[0].rstrip(b"\n").split(b" ")[1].decode() for p in refs if p]
    assert sorted(names) == ["refs/heads/bob-prod", "refs/heads/bob-staging"]


def test_no_token_or_a_wrong_one_is_401(bob):
    assert advertised(bob.hub, None).status_code == 401
    assert advertised(bob.hub, "not-a-hub-token").status_code == 401
