"""The history routes: paged timeline, deleted files, recover, rename. Checked with git."""

from __future__ import annotations

from helpers import log_of, notebook


async def checkpoint(api, save, path, content, message=None):
    await save(path, content)
    body = {"message": message} if message else {}
    status, created = await api("git-checkpoints", "checkpoints", path, method="POST", body=body)
    assert status == 201, created
    return created


async def test_timeline_pages_newest_first_with_a_cursor(api, save, git):
    for version in range(12):
        await checkpoint(api, save, "t.txt", f"v{version}\n")
    commits = log_of(git, "t.txt")
    status, first = await api("git-checkpoints", "timeline", "t.txt", params={"limit": "5"})
    assert status == 200
    assert [c["id"] for c in first["checkpoints"]] == commits[:5]
    assert first["path"] == "t.txt"
    assert first["cursor"] == commits[4]
    assert all(c["pushed"] is False for c in first["checkpoints"])
    status, rest = await api(
        "git-checkpoints", "timeline", "t.txt", params={"limit": "10", "cursor": first["cursor"]}
    )
    assert status == 200
    assert [c["id"] for c in rest["checkpoints"]] == commits[5:]
    assert rest["cursor"] is None

    status, error = await api("git-checkpoints", "timeline", "t.txt", params={"cursor": "0" * 40})
    assert (status, error["code"]) == (400, "InvalidArgument")


async def test_deleted_files_are_listed_per_folder_and_recovered_with_their_history(
    api, save, git, home, assert_repository_sound
):
    (home / "d").mkdir()
    await checkpoint(api, save, "d/gone.ipynb", notebook("x = 1"))
    last = await checkpoint(api, save, "d/gone.ipynb", notebook("x = 2"))
    await checkpoint(api, save, "kept.txt", "k\n")
    status, _ = await api("api", "contents", "d/gone.ipynb", method="DELETE")
    assert status == 204
    deletion = log_of(git)[0]

    status, listed = await api("git-checkpoints", "deleted", "d")
    assert status == 200
    assert listed["path"] == "d"
    assert [(f["path"], f["deleted_in"], f["last"]["id"]) for f in listed["files"]] == [
        ("d/gone.ipynb", deletion, last["id"])
    ]
    status, everywhere = await api("git-checkpoints", "deleted")
    assert status == 200 and [f["path"] for f in everywhere["files"]] == ["d/gone.ipynb"]

    status, content = await api(
        "git-checkpoints", "content", "d/gone.ipynb", params={"id": last["id"]}
    )
    assert status == 200 and "x = 2" in content["content"]

    status, recovered = await api(
        "git-checkpoints", "recover", "d/gone.ipynb", method="POST", body={"id": last["id"]}
    )
    assert status == 201
    assert recovered["message"] == f"Recover d/gone.ipynb from {last['id'][:7]}"
    assert "x = 2" in (home / "d" / "gone.ipynb").read_text()
    assert git("log", "--follow", "--format=%H", "--", "d/gone.ipynb").split() == [
        recovered["id"],
        deletion,
        *log_of(git, "d/gone.ipynb")[2:],
    ]
    assert len(log_of(git, "d/gone.ipynb")) == 4
    status, after = await api("git-checkpoints", "deleted", "d")
    assert (status, after["files"]) == (200, [])
    status, again = await api(
        "git-checkpoints", "recover", "d/gone.ipynb", method="POST", body={"id": last["id"]}
    )
    assert (status, again["code"]) == (409, "AlreadyExists")
    assert_repository_sound()


async def test_rename_a_checkpoint_amends_the_last_commit_only(
    api, save, git, assert_repository_sound
):
    first = await checkpoint(api, save, "r.txt", "1\n")
    second = await checkpoint(api, save, "r.txt", "2\n")
    status, renamed = await api(
        "git-checkpoints",
        "checkpoints",
        "r.txt",
        method="PATCH",
        body={"id": second["id"], "message": "Works now"},
    )
    assert status == 200
    assert renamed["message"] == "Works now" and renamed["pushed"] is False
    assert git("log", "-1", "--format=%H %s") == f"{renamed['id']} Works now\n"
    assert git("rev-parse", "HEAD^").strip() == first["id"]

    status, error = await api(
        "git-checkpoints",
        "checkpoints",
        "r.txt",
        method="PATCH",
        body={"id": first["id"], "message": "older"},
    )
    assert (status, error["code"], error["data"]["reason"]) == (409, "NotAmendable", "not-head")
    status, error = await api(
        "git-checkpoints", "checkpoints", "r.txt", method="PATCH", body={"id": first["id"]}
    )
    assert (status, error["code"]) == (400, "InvalidArgument")
    assert_repository_sound()
