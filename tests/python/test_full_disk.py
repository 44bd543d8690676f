"""A real full disk: the home is a small tmpfs, filled until nothing fits, then freed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

#: Big enough for the server's files and a few checkpoints, small enough to fill in a moment.
SIZE = "24m"


@pytest.fixture
def jp_home_dir(tmp_path: Path):
    """The home on its own tmpfs (CI runs as root); skipped only where mount is impossible."""
    home = tmp_path / "home"
    home.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here: cannot make a small disk to fill")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(home)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {result.stderr.strip()}")
    yield home
    subprocess.run(["umount", "-l", str(home)], check=False)


def fill(home: Path) -> Path:
    """Writes until the disk has no byte left; returns the filler to free it later."""
    filler = home / "filler.bin"
    chunk = b"\0" * 2**16
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(chunk)
                out.flush()
        except OSError:
            pass
    for small in range(64):  # the last partial pages
        try:
            (home / f"filler-{small}").write_bytes(b"\0" * 512)
        except OSError:
            break
    return filler


async def test_a_full_disk_answers_507_then_checkpoints_work_at_once(
    api, home, git, assert_repository_sound
):
    notebook = home / "nb.ipynb"
    notebook.write_text('{"cells": [], "v": 0}\n')
    status, first = await api("api", "contents", "nb.ipynb", "checkpoints", method="POST")
    assert status == 201, first
    notebook.write_text('{"cells": [], "v": 1, "pad": "' + "y" * 20000 + '"}\n')
    head = git("rev-parse", "HEAD")

    fill(home)
    seen = []
    for _ in range(3):
        status, body = await api("api", "contents", "nb.ipynb", "checkpoints", method="POST")
        seen.append((status, body["message"]))
        assert status == 507, body
        assert body["reason"] == "DiskFull", body
        assert "No space left" in body["message"] and "free" in body["message"], body
        assert ".git/" in body["message"], body
    status, body = await api("git-checkpoints", "status")
    assert status == 200 and body["checkpoint_error"]["code"] == "DiskFull", body
    # Opening the file still works: listing never fails because of checkpoints.
    status, listed = await api("api", "contents", "nb.ipynb", "checkpoints")
    assert status == 200 and [c["id"] for c in listed] == [first["id"]]
    assert git("rev-parse", "HEAD") == head
    print("\nresponses while the disk was full:", *seen, sep="\n  ")

    for freed in home.glob("filler*"):
        freed.unlink()
    status, second = await api("api", "contents", "nb.ipynb", "checkpoints", method="POST")
    assert status == 201, second
    status, body = await api("git-checkpoints", "status")
    assert body["checkpoint_error"] is None
    assert git("rev-parse", "HEAD").strip() == second["id"]
    assert git("status", "--porcelain", "--untracked-files=no") == ""
    assert_repository_sound()


async def test_a_read_only_disk_answers_403_naming_the_file_then_works_again(
    api, home, git, assert_repository_sound
):
    (home / "a.txt").write_text("a\n")
    assert (await api("api", "contents", "a.txt", "checkpoints", method="POST"))[0] == 201
    (home / "a.txt").write_text("b\n")
    subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
    try:
        status, body = await api("api", "contents", "a.txt", "checkpoints", method="POST")
        assert status == 403 and body["reason"] == "PermissionDenied", body
        assert "read-only file system" in body["message"] and ".git/" in body["message"], body
        status, listed = await api("api", "contents", "a.txt", "checkpoints")
        assert status == 200 and len(listed) == 1
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(home)], check=True)
    assert (await api("api", "contents", "a.txt", "checkpoints", method="POST"))[0] == 201
    assert_repository_sound()
