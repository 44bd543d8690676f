"""Git checkpoints on a real JupyterHub: two users, two environments, one remote, the gateway."""

from __future__ import annotations

import base64
import shutil
import statistics
import time
from pathlib import Path

from conftest import REMOTE_PASS, REMOTE_USER, USERS
from hub import wait_until


def test_each_user_lands_on_their_own_branch(seeded, remote):
    for env, hub in seeded.items():
        for user in USERS:
            assert hub.status(user)["branch"] == f"{user}-{env}"
    branches = remote.git("for-each-ref", "--format=%(refname:short)", "refs/heads").split()
    assert sorted(branches) == sorted(f"{u}-{e}" for u in USERS for e in seeded)
    for env in seeded:
        for user in USERS:
            branch = f"{user}-{env}"
            authors = set(remote.git("log", "--format=%an <%ae>", branch).splitlines())
            assert authors == {f"{user} <{user}@example.org>"}
            assert remote.git("show", f"{branch}:notes.txt") == f"{user} on {env}\n"


def single_user_processes() -> dict[int, tuple[bytes, bytes]]:
    """Every process started for a hub user (servers, engines, kernels): environ and cmdline."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        # The gateway, a hub service, has a JUPYTERHUB_USER too (the hub's own user).
        if any(f"\0JUPYTERHUB_USER={user}\0".encode() in b"\0" + environ for user in USERS):
            found[int(proc.name)] = (environ, cmdline)
    return found


def test_no_user_process_holds_the_remote_credential(seeded, answers):
    hub = seeded["prod"]
    response = hub.user_api("ada", "POST", "api/kernels", json={"name": "python3"})
    assert response.status_code == 201, response.text
    kernel = response.json()["id"]
    try:
        processes = single_user_processes()
        # 4 servers, their 4 engines and the kernel at least.
        assert len(processes) >= 9, processes.keys()
        basic = base64.b64encode(f"{REMOTE_USER}:{REMOTE_PASS}".encode())
        for pid, (environ, cmdline) in processes.items():
            for secret in (REMOTE_PASS.encode(), basic):
                assert secret not in environ and secret not in cmdline, pid
            assert b"GIT_PASS=" not in environ
        no_user = [env for env, _ in processes.values() if b"DEPLOY_ENV=staging" in env]
        assert no_user and all(
            not env.startswith(b"USER=") and b"\0USER=" not in env for env in no_user
        )
    finally:
        hub.user_api("ada", "DELETE", f"api/kernels/{kernel}")
    for each in seeded.values():
        assert REMOTE_PASS not in each.log_text()
        for file in each.state.joinpath("homes").rglob("*"):
            if file.is_file() and file.stat().st_size < 2**20:
                assert REMOTE_PASS.encode() not in file.read_bytes(), file
    assert all(REMOTE_PASS.encode() not in body for body in answers)


def test_a_wiped_home_comes_back(seeded, capsys):
    hub = seeded["prod"]
    hub.save("ada", "kept.txt", "one\n")
    hub.save("ada", "kept.txt", "two\n")
    hub.wait_pushed("ada")
    hub.stop_server("ada")
    shutil.rmtree(hub.home("ada"))
    started = time.monotonic()
    hub.start_server("ada")
    hub.wait_server("ada")

    def restored():
        response = hub.user_api("ada", "GET", "git-checkpoints/history/kept.txt")
        return response.status_code == 200 and len(response.json()["checkpoints"]) == 2

    wait_until(restored, what="ada's history")
    elapsed = time.monotonic() - started
    assert (hub.home("ada") / "kept.txt").read_text() == "two\n"
    assert (hub.home("ada") / "notes.txt").read_text() == "ada on prod\n"
    with capsys.disabled():
        print(f"\nhub: a wiped home is back (server start + history) in {elapsed:.1f} s")


def timed_saves(hub, user: str, count: int) -> list[float]:
    times = []
    for i in range(count):
        started = time.monotonic()
        hub.save(user, "timed.txt", f"version {i} at {started}\n")
        times.append(time.monotonic() - started)
    return times


def test_a_dead_remote_never_slows_a_save(seeded, remote, capsys):
    hub = seeded["staging"]
    up = timed_saves(hub, "bob", 5)
    hub.wait_pushed("bob")
    remote.stop()
    try:
        down = timed_saves(hub, "bob", 5)
        failing = wait_until(
            lambda: (s := hub.status("bob"))["state"] == "failing" and s, what="failing"
        )
        assert "502" in failing["last_error"]
    finally:
        remote.start()
    hub.user_api("bob", "POST", "git-checkpoints/push")
    hub.wait_pushed("bob")
    with capsys.disabled():
        print(
            "\nhub: save + checkpoint, median of 5:"
            f" remote up {statistics.median(up) * 1000:.0f} ms,"
            f" remote down {statistics.median(down) * 1000:.0f} ms"
            f" (max {max(down) * 1000:.0f} ms)"
        )
