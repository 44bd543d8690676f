"""Bad input gets a clear 4xx JSON error, and nothing is written to the repository."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from pathlib import Path

import pytest

from helpers import log_of


@pytest.fixture
def raw(http_server_client, jp_base_url, jp_auth_header):
    """A request whose URL path is sent exactly as written (no escaping), for crafted paths."""

    async def fetch(path: str, method: str = "GET", body: str | None = None):
        if body is None and method in ("POST", "PUT", "PATCH"):
            body = ""
        response = await http_server_client.fetch(
            jp_base_url.rstrip("/") + path,
            method=method,
            body=body,
            headers=dict(jp_auth_header),
            raise_error=False,
            allow_nonstandard_methods=True,
        )
        text = response.body.decode() if response.body else ""
        return response.code, (json.loads(text) if text.startswith("{") else text)

    return fetch


@pytest.fixture
def snapshot(home: Path):
    """Everything git keeps: refs, index, objects, our state. Equal snapshots: nothing written."""

    def take() -> dict[str, str]:
        gitdir = home / ".git"
        files = {}
        for path in sorted(gitdir.rglob("*")) if gitdir.exists() else []:
            if path.is_file():
                files[str(path.relative_to(gitdir))] = hashlib.sha1(path.read_bytes()).hexdigest()
        return files

    return take


@pytest.fixture
def committed(api, home, jp_asyncio_loop):
    """a.txt and b.txt with one checkpoint each; returns their ids."""
    ids = {}
    for name in ("a", "b"):
        (home / f"{name}.txt").write_text(f"{name}\n")
        request = api("api", "contents", f"{name}.txt", "checkpoints", method="POST")
        status, body = jp_asyncio_loop.run_until_complete(request)
        assert status == 201, body
        ids[name] = body["id"]
    return ids


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the home, with a secret file in it."""
    directory = tmp_path / "outside"
    directory.mkdir()
    (directory / "secret.txt").write_text("not yours\n")
    return directory


ESCAPES = [
    "/..%2F..%2Fetc%2Fpasswd",
    "/..%2Fsecret.txt",
    "/%2Fetc%2Fpasswd",
    "/%2F%2Fetc%2Fpasswd",
    "/sub%2F..%2F..%2Fsecret.txt",
]


#: Paths inside the root that the engine refuses (its rules, not repeated in Python).
ENGINE_REFUSES = {
    "/.git%2Fconfig": "git's own directory",
    "/sub%2F.GIT%2Fconfig": "git's own directory",
    "/a%00b.txt": "NUL byte",
}

#: Every refused path, with why: the server refuses escapes, the engine the rest.
REFUSED = {**{path: "leaves the root" for path in ESCAPES}, **ENGINE_REFUSES}


@pytest.mark.parametrize("path", REFUSED)
async def test_extra_routes_refuse_bad_paths(raw, committed, snapshot, path):
    before = snapshot()
    for method, route in [
        ("POST", "/git-checkpoints/checkpoints"),
        ("GET", "/git-checkpoints/history"),
        ("GET", "/git-checkpoints/content"),
    ]:
        query = f"?id={committed['a']}" if route.endswith("content") else ""
        status, body = await raw(route + path + query, method=method)
        assert (status, body["code"]) == (400, "InvalidPath"), (route, body)
        assert body["message"].startswith("Invalid path")
        assert REFUSED[path] in body["message"], body
    assert snapshot() == before


@pytest.mark.parametrize("path", ESCAPES)
async def test_standard_api_refuses_paths_leaving_the_root(raw, committed, snapshot, path):
    before = snapshot()
    for method, suffix in [
        ("POST", "/checkpoints"),
        ("GET", "/checkpoints"),
        ("POST", f"/checkpoints/{committed['a']}"),
        ("DELETE", f"/checkpoints/{committed['a']}"),
    ]:
        status, body = await raw("/api/contents" + path + suffix, method=method)
        # Jupyter renders our HTTPError with the code as its reason.
        assert (status, body.get("reason")) == (400, "InvalidPath"), (method, suffix, body)
        assert body["message"].startswith("Invalid path"), body
    assert snapshot() == before


async def test_dot_dot_that_stays_in_the_root_is_the_file_it_names(api, committed):
    status, body = await api("git-checkpoints", "history", "sub/../a.txt")
    assert status == 200, body
    assert [c["id"] for c in body["checkpoints"]] == [committed["a"]]


async def test_symbolic_links_out_of_the_root_are_refused(api, home, outside, committed, snapshot):
    (home / "link.txt").symlink_to(outside / "secret.txt")
    (home / "linked").symlink_to(outside)
    before = snapshot()
    for path in ("link.txt", "linked/secret.txt"):
        status, body = await api("git-checkpoints", "checkpoints", path, method="POST")
        assert status == 400 and body["code"] == "InvalidPath", body
        assert "symbolic link" in body["message"]
        status, body = await api("api", "contents", path, "checkpoints", method="POST")
        assert status == 400, body
        status, body = await api("git-checkpoints", "history", path)
        assert status == 400, body
    assert snapshot() == before
    assert "not yours" not in (home / ".git").joinpath("index").read_bytes().decode(
        errors="replace"
    )


async def test_symbolic_links_inside_the_root_are_not_followed(api, home, committed, snapshot):
    (home / "alias.txt").symlink_to(home / "a.txt")
    before = snapshot()
    status, body = await api("git-checkpoints", "checkpoints", "alias.txt", method="POST")
    assert status == 400 and body["code"] == "InvalidPath", body
    assert snapshot() == before


async def test_unknown_ids_and_ids_of_another_file(api, committed, snapshot):
    before = snapshot()
    unknown = "0123456789abcdef0123456789abcdef01234567"
    cases = [
        (unknown, 404, "NotACheckpoint"),
        (committed["b"], 404, "NotACheckpoint"),  # a real commit, but of b.txt
        ("zzz", 400, "InvalidArgument"),
        (committed["a"][:7], 400, "InvalidArgument"),  # ids are full hashes
    ]
    for checkpoint_id, status_expected, code in cases:
        status, body = await api(
            "git-checkpoints", "content", "a.txt", params={"id": checkpoint_id}
        )
        assert (status, body["code"]) == (status_expected, code), body
        status, body = await api(
            "api", "contents", "a.txt", "checkpoints", checkpoint_id, method="POST"
        )
        assert status == status_expected, body
        assert body["message"]
        status, body = await api(
            "api", "contents", "a.txt", "checkpoints", checkpoint_id, method="DELETE"
        )
        assert status == status_expected, body
    assert snapshot() == before


async def test_missing_file_is_not_found(api, committed, snapshot):
    before = snapshot()
    status, body = await api("git-checkpoints", "checkpoints", "nope.txt", method="POST")
    assert (status, body["code"]) == (404, "NotFound")
    status, body = await api("git-checkpoints", "history", "nope.txt")
    assert (status, body["checkpoints"]) == (200, [])
    assert snapshot() == before


@pytest.mark.parametrize(
    "jp_server_config",
    [
        {
            "ServerApp": {"jpserver_extensions": {"gitcheckpoints": True}},
            "GitCheckpoints": {"max_file_size": 1000},
        }
    ],
)
async def test_files_over_the_size_limit_get_413(api, home, save, committed, snapshot):
    (home / "big.bin").write_bytes(os.urandom(1001))
    before = snapshot()
    status, body = await api("git-checkpoints", "checkpoints", "big.bin", method="POST")
    assert (status, body["code"]) == (413, "FileTooLarge")
    assert body["data"] == {"path": "big.bin", "size": 1001, "limit": 1000}
    status, body = await api("api", "contents", "big.bin", "checkpoints", method="POST")
    assert status == 413
    assert snapshot() == before
    # At the limit it still works.
    (home / "big.bin").write_bytes(os.urandom(1000))
    status, _ = await api("api", "contents", "big.bin", "checkpoints", method="POST")
    assert status == 201


async def test_malformed_requests_to_the_extra_routes(api, committed, snapshot):
    before = snapshot()
    cases = [
        (("git-checkpoints", "history", "a.txt"), "GET", None, {"limit": "ten"}),
        (("git-checkpoints", "history", "a.txt"), "GET", None, {"limit": "0"}),
        (("git-checkpoints", "history", "a.txt"), "GET", None, {"limit": "1001"}),
        (("git-checkpoints", "content", "a.txt"), "GET", None, {}),
        (("git-checkpoints", "checkpoints", "a.txt"), "POST", "not json", {}),
        (("git-checkpoints", "checkpoints", "a.txt"), "POST", {"message": 42}, {}),
        (("git-checkpoints", "checkpoints", "a.txt"), "POST", [1, 2], {}),
        (
            ("git-checkpoints", "remote"),
            "PUT",
            {"url": "https://x.invalid/r.git", "colour": "red"},
            {},
        ),
        (("git-checkpoints", "remote"), "PUT", {"push": "yes"}, {}),
        (("git-checkpoints", "remote", "password"), "PUT", {"password": 42}, {}),
        (("git-checkpoints", "remote", "password"), "PUT", {"pass": "x"}, {}),
    ]
    for parts, method, body, params in cases:
        status, answer = await api(*parts, method=method, body=body, params=params)
        assert status == 400, (parts, body, answer)
        assert answer["code"] == "InvalidArgument" and answer["message"], answer
    assert snapshot() == before


async def test_a_rename_racing_checkpoints_leaves_a_sound_repository(
    api, home, git, save, pauses, assert_repository_sound
):
    """The interleaving is driven: the checkpoint has checked the file, then the rename
    moves it on disk, then the checkpoint reads it: a clear 404, never a 500."""
    await save("race.txt", "v0\n")
    status, first = await api("api", "contents", "race.txt", "checkpoints", method="POST")
    assert status == 201, first
    (home / "race.txt").write_text("v1\n")

    pauses.hold("commit:read")
    checkpoint = asyncio.ensure_future(
        api("api", "contents", "race.txt", "checkpoints", method="POST")
    )
    await pauses.reached("commit:read")
    # Jupyter moves the file on disk first; its checkpoint rename then waits for the engine.
    rename = asyncio.ensure_future(
        api("api", "contents", "race.txt", method="PATCH", body={"path": "raced.txt"})
    )
    while (home / "race.txt").exists():
        await asyncio.sleep(0.01)
    pauses.release("commit:read")

    status, body = await checkpoint
    assert status == 404, body
    assert "race.txt" in body["message"] and "not found" in body["message"], body
    rename_status, _ = await rename
    assert rename_status == 200
    assert git("ls-tree", "--name-only", "HEAD").split() == ["raced.txt"]
    # The rename commit moves the last checkpointed version as it is; v1 is in the working tree.
    assert git("diff", "--name-status", "-M", "HEAD~1", "HEAD") == "R100\trace.txt\traced.txt\n"
    assert log_of(git) == [log_of(git)[0], first["id"]]
    _, listed = await api("api", "contents", "raced.txt", "checkpoints")
    assert listed[-1]["id"] == log_of(git)[0]
    assert_repository_sound()
