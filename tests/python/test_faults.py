"""Faults real homes meet, with real processes: a killed engine, git maintenance beside it,
an engine that cannot start, and engines left behind by contents managers that went away.
(The full disk is in test_full_disk.py: it needs its own home.)"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import signal
import subprocess
import sys
import threading

import pytest
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

from gitcheckpoints.checkpoints import GitCheckpoints

from helpers import log_of

#: The steps of a checkpoint the engine can be held at (src/engine/commits).
POINTS = ["commit:read", "commit:locked", "commit:objects", "commit:ref"]


def service_of(jp_serverapp):
    return jp_serverapp.contents_manager.checkpoints.service


async def test_fifty_kills_at_random_steps_lose_nothing(
    api, home, git, jp_serverapp, pauses, assert_repository_sound
):
    """SIGKILL at a step chosen by a seeded RNG, 50 times; the next checkpoint always works."""
    rng = random.Random(7)
    service = service_of(jp_serverapp)
    notebook = home / "nb.ipynb"
    acknowledged = []
    kills = 0
    for i in range(50):
        notebook.write_text(f'{{"cells": [], "run": {i}, "pad": "{"x" * 2000}"}}\n')
        point = rng.choice(POINTS)
        pauses.hold(point)
        request = asyncio.ensure_future(
            api("api", "contents", "nb.ipynb", "checkpoints", method="POST")
        )
        pid = await pauses.reached(point)
        os.kill(pid, signal.SIGKILL)
        kills += 1
        pauses.release(point)
        status, body = await request
        assert status == 503 and "try again" in body["message"], (point, body)

        notebook.write_text(f'{{"cells": [], "run": {i}, "after": true}}\n')
        status, body = await api("api", "contents", "nb.ipynb", "checkpoints", method="POST")
        assert status == 201, (i, point, body)
        assert service.engine_pid != pid
        acknowledged.append(body["id"])
    history = set(log_of(git))
    assert [c for c in acknowledged if c not in history] == []
    assert git("status", "--porcelain", "--untracked-files=no") == ""
    assert_repository_sound()
    print(f"\nkills survived: {kills}, acknowledged {len(acknowledged)}, lost 0, stuck 0")


async def test_checkpoints_beside_git_maintenance(api, home, git, assert_repository_sound):
    """Two clients checkpoint 100 times each while the git CLI runs gc, repack -ad,
    pack-refs --all, commit-graph write and commits in the same repository."""
    for name in ("a.txt", "b.txt"):
        (home / name).write_text("0\n")
        status, _ = await api("api", "contents", name, "checkpoints", method="POST")
        assert status == 201
    stop = threading.Event()
    maintenance: list[str] = []

    def git_beside() -> None:
        commands = [
            ["gc", "--quiet"],
            ["repack", "-adq"],
            ["pack-refs", "--all"],
            ["commit-graph", "write", "--reachable"],
        ]
        env = {**os.environ, "GIT_AUTHOR_NAME": "cli", "GIT_COMMITTER_NAME": "cli"}
        n = 0
        while not stop.is_set():
            n += 1
            (home / "cli.txt").write_text(f"{n}\n")
            for args in [
                *commands,
                ["add", "cli.txt"],
                ["-c", "user.email=cli@example.invalid", "commit", "-qm", f"cli {n}"],
            ]:
                result = subprocess.run(
                    ["git", *args], cwd=home, capture_output=True, text=True, env=env
                )
                # git refuses while our lock is held, as it does beside any git: that is fine.
                name = "commit" if args[0] == "-c" else args[0]
                maintenance.append(f"{name}:{result.returncode}")

    cli = threading.Thread(target=git_beside, daemon=True)
    cli.start()
    statuses: dict[int, int] = {}
    acknowledged: list[str] = []

    async def client(name: str) -> None:
        for i in range(100):
            (home / name).write_text(f"{name} {i}\n")
            status, body = await api("api", "contents", name, "checkpoints", method="POST")
            statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                acknowledged.append(body["id"])
            else:
                assert status != 500, body

    try:
        await asyncio.gather(client("a.txt"), client("b.txt"))
    finally:
        stop.set()
        await asyncio.to_thread(cli.join, 60)
    history = set(log_of(git))
    lost = [c for c in acknowledged if c not in history]
    print(
        f"\nbeside git maintenance: responses {statuses}, acknowledged {len(acknowledged)},"
        f" lost {len(lost)}, git commands run {len(maintenance)}"
    )
    assert lost == []
    assert statuses == {201: 200}
    assert any(m.startswith("repack:0") for m in maintenance)
    assert_repository_sound()


@pytest.mark.parametrize(
    "jp_server_config",
    [
        {
            "ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}},
            "GitCheckpoints": {"node_path": "/nonexistent/node"},
        }
    ],
)
async def test_a_file_opens_when_the_engine_cannot_start(api, home, caplog):
    """JupyterLab shows "File Load Error" when listing fails on open: it answers [] instead."""
    (home / "a.txt").write_text("a\n")
    for _ in range(3):
        status, listed = await api("api", "contents", "a.txt", "checkpoints")
        assert (status, listed) == (200, [])
    status, body = await api("api", "contents", "a.txt")
    assert status == 200 and body["content"] == "a\n"
    logged = [r for r in caplog.records if "checkpoints not listed" in r.getMessage()]
    assert len(logged) == 1 and "/nonexistent/node" in logged[0].getMessage()
    # The status route (and so the status bar) says why.
    status, body = await api("git-checkpoints", "status")
    assert status == 503 and "/nonexistent/node" in body["message"]


async def test_a_file_opens_when_the_repository_cannot_be_read(
    api, home, git, jp_serverapp, caplog
):
    (home / "a.txt").write_text("a\n")
    assert (await api("api", "contents", "a.txt", "checkpoints", method="POST"))[0] == 201
    # A repository the engine refuses to open: .git is a file (as in a linked worktree).
    (home / ".git").rename(home / ".git-moved")
    (home / ".git").write_text("gitdir: /elsewhere\n")
    await service_of(jp_serverapp)._client.restart()
    for _ in range(2):
        status, listed = await api("api", "contents", "a.txt", "checkpoints")
        assert (status, listed) == (200, [])
    assert len([r for r in caplog.records if "checkpoints not listed" in r.getMessage()]) == 1
    status, body = await api("git-checkpoints", "status")
    assert status == 409 and ".git is not a directory" in body["message"], body
    # Repaired, checkpoints work again at once, without a restart.
    (home / ".git").unlink()
    (home / ".git-moved").rename(home / ".git")
    (home / "a.txt").write_text("b\n")
    assert (await api("api", "contents", "a.txt", "checkpoints", method="POST"))[0] == 201
    status, body = await api("git-checkpoints", "status")
    assert status == 200 and body["checkpoint_error"] is None


def test_engines_stop_when_their_contents_managers_go_away(home, tmp_path):
    """jupyter_server's own contents tests make a manager per test: 130 engines stayed alive."""
    pids = []
    loop = asyncio.new_event_loop()
    try:
        for _ in range(5):
            manager = AsyncLargeFileManager(root_dir=str(home), checkpoints_class=GitCheckpoints)
            loop.run_until_complete(manager.checkpoints.list_checkpoints("a.txt"))
            service = manager.checkpoints.service
            pids.append(service.engine_pid)
            client = service._client
            del manager, service
        assert all(pids) and len(set(pids)) == 5
        gc.collect()
        assert [pid for pid in pids if _alive(pid)] == []
        # stop() closed the client's private event loop too (no "unclosed event loop").
        assert client._loop.is_closed()
    finally:
        loop.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


if sys.platform != "linux":  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="needs Linux (/proc, signals)")
