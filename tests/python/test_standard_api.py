"""The standard checkpoint API (/api/contents/.../checkpoints), git-backed, checked with git."""

from __future__ import annotations

from helpers import BRANCH, EMAIL, USER, first_source, log_of, notebook


async def test_first_open_lists_nothing_and_is_not_an_error(api, home, git):
    (home / "a.txt").write_text("hello\n")
    status, body = await api("api", "contents", "a.txt", "checkpoints")
    assert (status, body) == (200, [])
    # Listing never writes: no commit yet.
    assert git("rev-parse", "--verify", "-q", "HEAD", check=False) == ""


async def test_create_commits_the_file_and_list_shows_it(api, home, git, assert_repository_sound):
    (home / "a.txt").write_text("hello\n")
    status, created = await api("api", "contents", "a.txt", "checkpoints", method="POST")
    assert status == 201
    assert set(created) == {"id", "last_modified"}
    assert log_of(git) == [created["id"]]
    assert git("show", f"{created['id']}:a.txt") == "hello\n"
    assert git("log", "-1", "--format=%an <%ae>") == f"{USER} <{EMAIL}>\n"
    assert git("branch", "--show-current").strip() == BRANCH

    status, listed = await api("api", "contents", "a.txt", "checkpoints")
    assert status == 200
    assert listed == [created]  # same id and the very same last_modified string
    assert_repository_sound()


async def test_saving_a_new_notebook_makes_its_first_checkpoint(api, save, git, home):
    await save("nb.ipynb", notebook("print(1)"))
    # jupyter_server's save lists checkpoints and creates one when there are none.
    assert len(log_of(git, "nb.ipynb")) == 1
    assert first_source(git("show", "HEAD:nb.ipynb")) == "print(1)"

    await save("nb.ipynb", notebook("print(2)"))
    assert len(log_of(git, "nb.ipynb")) == 1  # a plain save (autosave) is no checkpoint
    status, created = await api("api", "contents", "nb.ipynb", "checkpoints", method="POST")
    assert status == 201
    assert log_of(git, "nb.ipynb")[0] == created["id"]
    assert first_source(git("show", "HEAD:nb.ipynb")) == "print(2)"


async def test_list_returns_the_last_ten_oldest_first(api, save, git):
    for version in range(12):
        await save("notes.txt", f"version {version}\n")
        status, _ = await api("api", "contents", "notes.txt", "checkpoints", method="POST")
        assert status == 201
    status, listed = await api("api", "contents", "notes.txt", "checkpoints")
    assert status == 200
    assert [c["id"] for c in listed] == list(reversed(log_of(git, "notes.txt")[:10]))
    assert all(set(c) == {"id", "last_modified"} for c in listed)


async def test_unchanged_file_gives_back_its_newest_checkpoint(api, save, git):
    await save("a.txt", "same\n")
    _, first = await api("api", "contents", "a.txt", "checkpoints", method="POST")
    _, second = await api("api", "contents", "a.txt", "checkpoints", method="POST")
    assert second == first
    assert log_of(git) == [first["id"]]


async def test_restore_writes_the_old_version_and_commits(
    api, save, git, home, assert_repository_sound
):
    await save("nb.ipynb", notebook("old"))
    _, old = await api("api", "contents", "nb.ipynb", "checkpoints", method="POST")
    await save("nb.ipynb", notebook("new"))
    _, new = await api("api", "contents", "nb.ipynb", "checkpoints", method="POST")

    status, _ = await api("api", "contents", "nb.ipynb", "checkpoints", old["id"], method="POST")
    assert status == 204
    assert first_source((home / "nb.ipynb").read_text()) == "old"
    assert git("log", "-1", "--format=%s") == f"Restore nb.ipynb to {old['id'][:7]}\n"
    assert git("show", "HEAD:nb.ipynb") == git("show", f"{old['id']}:nb.ipynb")
    _, content = await api("api", "contents", "nb.ipynb")
    assert content["content"]["cells"][0]["source"] == "old"

    # The restore is a checkpoint too, newest last; the replaced version is kept.
    _, listed = await api("api", "contents", "nb.ipynb", "checkpoints")
    assert listed[-1]["id"] == log_of(git)[0]
    assert new["id"] in [c["id"] for c in listed]
    assert_repository_sound()


async def test_restore_keeps_unsaved_to_git_changes_as_a_checkpoint(api, save, git):
    await save("a.txt", "one\n")
    _, one = await api("api", "contents", "a.txt", "checkpoints", method="POST")
    await save("a.txt", "two, saved but never checkpointed\n")
    status, _ = await api("api", "contents", "a.txt", "checkpoints", one["id"], method="POST")
    assert status == 204
    versions = [git("show", f"{commit}:a.txt") for commit in log_of(git, "a.txt")]
    assert versions == ["one\n", "two, saved but never checkpointed\n", "one\n"]


async def test_delete_checkpoint_hides_it_and_keeps_the_commit(api, save, git):
    await save("a.txt", "one\n")
    _, one = await api("api", "contents", "a.txt", "checkpoints", method="POST")
    await save("a.txt", "two\n")
    _, two = await api("api", "contents", "a.txt", "checkpoints", method="POST")
    head = log_of(git)[0]

    status, _ = await api("api", "contents", "a.txt", "checkpoints", one["id"], method="DELETE")
    assert status == 204
    _, listed = await api("api", "contents", "a.txt", "checkpoints")
    assert listed == [two]
    assert git("cat-file", "-t", one["id"]) == "commit\n"
    assert log_of(git)[0] == head  # history is never rewritten


async def test_rename_is_one_commit_and_history_follows(
    api, save, git, home, assert_repository_sound
):
    await save("old.ipynb", notebook("a"))
    await save("old.ipynb", notebook("b"))
    _, second = await api("api", "contents", "old.ipynb", "checkpoints", method="POST")
    before = log_of(git)

    status, _ = await api(
        "api", "contents", "old.ipynb", method="PATCH", body={"path": "new.ipynb"}
    )
    assert status == 200
    after = log_of(git)
    assert after[1:] == before  # exactly one new commit
    assert git("ls-tree", "--name-only", "HEAD").split() == ["new.ipynb"]
    assert not (home / "old.ipynb").exists()

    _, listed = await api("api", "contents", "new.ipynb", "checkpoints")
    ids = [c["id"] for c in listed]
    assert second["id"] in ids and ids[-1] == after[0]
    # Restoring a version from before the rename writes the new path.
    status, _ = await api("api", "contents", "new.ipynb", "checkpoints", ids[0], method="POST")
    assert status == 204
    assert first_source((home / "new.ipynb").read_text()) == "a"
    assert_repository_sound()


async def test_directory_rename_and_delete_are_one_commit_each(
    api, save, git, assert_repository_sound
):
    status, _ = await api("api", "contents", "dir", method="PUT", body={"type": "directory"})
    assert status == 201
    await save("dir/a.txt", "a\n")
    await api("api", "contents", "dir", "a.txt", "checkpoints", method="POST")
    await save("dir/c.ipynb", notebook("c"))  # its first checkpoint comes with the save
    before = log_of(git)

    status, _ = await api("api", "contents", "dir", method="PATCH", body={"path": "moved"})
    assert status == 200
    assert log_of(git)[1:] == before
    assert sorted(git("ls-tree", "-r", "--name-only", "HEAD").split()) == [
        "moved/a.txt",
        "moved/c.ipynb",
    ]

    status, _ = await api("api", "contents", "moved", method="DELETE")
    assert status == 204
    assert log_of(git)[2:] == before
    assert git("ls-tree", "-r", "--name-only", "HEAD") == ""
    assert_repository_sound()


async def test_delete_file_is_one_commit_and_history_is_kept(api, save, git):
    await save("a.txt", "a\n")
    _, one = await api("api", "contents", "a.txt", "checkpoints", method="POST")
    status, _ = await api("api", "contents", "a.txt", method="DELETE")
    assert status == 204
    assert log_of(git)[1] == one["id"]
    assert git("log", "-1", "--format=%s").strip().lower().startswith("delete")
    assert git("show", f"{one['id']}:a.txt") == "a\n"


async def test_binary_files_get_checkpoints_too(api, home, git):
    data = bytes(range(256)) * 10
    (home / "image.png").write_bytes(data)
    status, created = await api("api", "contents", "image.png", "checkpoints", method="POST")
    assert status == 201
    blob = git("rev-parse", f"{created['id']}:image.png").strip()
    assert git("hash-object", "image.png").strip() == blob
