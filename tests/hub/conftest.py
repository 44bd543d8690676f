"""Fixtures: one loopback git remote shared by two real JupyterHubs (prod and staging)."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "python"))

from hub import Hub  # noqa: E402

from git_remote import GitRemote, serving  # noqa: E402

USERS = ("ada", "bob")
REMOTE_USER = "checkpoints-bot"
REMOTE_PASS = f"bot-secret-{secrets.token_hex(8)}"


@pytest.fixture(scope="session")
def remote(tmp_path_factory) -> Iterator[GitRemote]:
    with serving(tmp_path_factory.mktemp("remote"), REMOTE_USER, REMOTE_PASS) as served:
        yield served


@pytest.fixture(scope="session")
def answers() -> list[bytes]:
    return []


@pytest.fixture(scope="session")
def hubs(tmp_path_factory, remote: GitRemote, answers: list[bytes]) -> Iterator[dict[str, Hub]]:
    """prod with the local spawner (sets USER), staging with one that sets none."""
    secret_env = {
        "CHECKPOINTS_REMOTE_URL": remote.url,
        "CHECKPOINTS_REMOTE_USER": REMOTE_USER,
        "CHECKPOINTS_REMOTE_PASS": REMOTE_PASS,
    }
    started = {
        "prod": Hub(tmp_path_factory.mktemp("prod"), {**secret_env, "DEPLOY_ENV": "prod"}, answers),
        "staging": Hub(
            tmp_path_factory.mktemp("staging"),
            {**secret_env, "DEPLOY_ENV": "staging", "HUB_SPAWNER": "spawners.NoUserSpawner"},
            answers,
        ),
    }
    for hub in started.values():
        hub.start()
    try:
        for hub in started.values():
            hub.wait_ready()
        for hub in started.values():
            for user in USERS:
                hub.start_server(user)
        for hub in started.values():
            for user in USERS:
                hub.wait_server(user)
        yield started
    finally:
        for hub in started.values():
            hub.stop()


@pytest.fixture(scope="session")
def seeded(hubs: dict[str, Hub]) -> dict[str, Hub]:
    """Each user has saved notes.txt on each hub, and it has been pushed."""
    for env, hub in hubs.items():
        for user in USERS:
            hub.save(user, "notes.txt", f"{user} on {env}\n")
    for hub in hubs.values():
        for user in USERS:
            hub.wait_pushed(user)
    return hubs
