"""The engine process: one per server, restarted after it dies, stopped with the server."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from helpers import log_of


def service_of(jp_serverapp):
    return jp_serverapp.contents_manager.checkpoints.service


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def alive(pid: int) -> bool:
    """Until reaped: a killed multi-threaded process is a zombie while it still holds its pipes."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_one_engine_serves_every_request(api, home, jp_serverapp):
    (home / "a.txt").write_text("a\n")
    await api("api", "contents", "a.txt", "checkpoints", method="POST")
    pid = service_of(jp_serverapp).engine_pid
    assert pid is not None
    await asyncio.gather(*(api("git-checkpoints", "status") for _ in range(20)))
    await api("api", "contents", "a.txt", "checkpoints")
    assert service_of(jp_serverapp).engine_pid == pid


async def test_the_engine_runs_with_the_contract_node_flags(api, home, jp_serverapp):
    """The young-generation size that keeps its peak memory down (src/contract/defaults.ts)."""
    (home / "a.txt").write_text("a\n")
    await api("api", "contents", "a.txt", "checkpoints", method="POST")
    pid = service_of(jp_serverapp).engine_pid
    with open(f"/proc/{pid}/cmdline", "rb") as file:
        argv = file.read().decode().split("\0")
    assert "--max-semi-space-size=1" in argv
    assert argv.index("--max-semi-space-size=1") < next(
        i for i, arg in enumerate(argv) if arg.endswith("main.js")
    )


async def test_killed_mid_operation_then_the_next_request_works(
    api, home, git, jp_serverapp, pauses, caplog, assert_repository_sound
):
    (home / "small.txt").write_text("small\n")
    status, first = await api("api", "contents", "small.txt", "checkpoints", method="POST")
    assert status == 201
    service = service_of(jp_serverapp)
    pid = service.engine_pid

    # Held with both locks taken and the objects written, just before the branch moves.
    (home / "big.bin").write_bytes(os.urandom(2**20))
    pauses.hold("commit:objects")
    request = asyncio.ensure_future(api("api", "contents", "big.bin", "checkpoints", method="POST"))
    assert await pauses.reached("commit:objects") == pid
    assert (home / ".git" / "index.lock").exists()
    os.kill(pid, signal.SIGKILL)
    pauses.release("commit:objects")
    status, body = await request
    assert status == 503 and "try again" in body["message"], body

    # The next request starts a new engine and works; leftover locks of the dead one are cleared.
    (home / "small.txt").write_text("changed\n")
    status, second = await api("api", "contents", "small.txt", "checkpoints", method="POST")
    assert status == 201, second
    assert service.engine_pid not in (None, pid)
    repaired = [r.getMessage() for r in caplog.records if "self-check: removed" in r.getMessage()]
    assert any("index.lock" in line for line in repaired), repaired
    assert log_of(git)[0] == second["id"]
    assert first["id"] in log_of(git)
    status, listed = await api("api", "contents", "small.txt", "checkpoints")
    assert [c["id"] for c in listed] == [first["id"], second["id"]]
    assert git("status", "--porcelain", "--untracked-files=no", "--", "small.txt") == ""
    assert_repository_sound()


async def test_engine_that_died_idle_is_restarted(api, home, jp_serverapp):
    (home / "a.txt").write_text("a\n")
    await api("api", "contents", "a.txt", "checkpoints", method="POST")
    pid = service_of(jp_serverapp).engine_pid
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not alive(pid))
    status, listed = await api("api", "contents", "a.txt", "checkpoints")
    assert status == 200 and len(listed) == 1, listed


def test_the_engine_stops_with_the_server(jp_configurable_serverapp, jp_asyncio_loop):
    app = jp_configurable_serverapp()
    service = app.contents_manager.checkpoints.service
    wait_until(lambda: service.engine_pid is not None)  # started with the extension
    pid = service.engine_pid
    jp_asyncio_loop.run_until_complete(app._cleanup())
    wait_until(lambda: not alive(pid))


@pytest.mark.parametrize(
    "jp_server_config",
    [
        {
            "ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}},
            "GitCheckpoints": {"node_path": "/nonexistent/node"},
        }
    ],
)
async def test_without_node_the_error_says_so(api, home):
    (home / "a.txt").write_text("a\n")
    status, body = await api("git-checkpoints", "checkpoints", "a.txt", method="POST")
    assert status == 503
    assert body["code"] == "EngineUnavailable"
    assert "/nonexistent/node" in body["message"]
