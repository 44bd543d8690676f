"""Jupyter API paths (relative to the server's ``root_dir``) to repository-relative paths."""

from __future__ import annotations

import os

from .errors import CheckpointsError


class PathMapper:
    """Maps ``/dir/a.ipynb`` under ``root_dir`` to ``work/dir/a.ipynb`` in the repository.

    Refuses what would leave the root: ``..``, absolute paths, NUL bytes and
    symbolic links pointing outside it. A path inside the root but outside the
    repository (``root_dir`` not under the repository) is ``OutsideRepository``.
    """

    def __init__(self, root_dir: str, repo_dir: str) -> None:
        self._root = os.path.realpath(root_dir)
        self._repo = os.path.realpath(repo_dir)

    @property
    def root_in_repository(self) -> bool:
        return _within(self._root, self._repo)

    def in_repository(self, api_path: str) -> bool:
        """Whether the path is in the repository; escapes still raise ``InvalidPath``."""
        try:
            self.to_repo(api_path)
        except CheckpointsError as error:
            if error.code == "OutsideRepository":
                return False
            raise
        return True

    def to_repo(self, api_path: str) -> str:
        relative = self._check(api_path)
        os_path = os.path.join(self._root, *relative.split("/"))
        # The parent is resolved, not the file itself: a deleted or renamed file has
        # no target, and a symlinked file is checked on its own below.
        real = os.path.join(os.path.realpath(os.path.dirname(os_path)), os.path.basename(os_path))
        if not _within(real, self._root):
            raise CheckpointsError.invalid_path(api_path, "a symbolic link leaves the root")
        if os.path.islink(real) and not _within(os.path.realpath(real), self._root):
            raise CheckpointsError.invalid_path(api_path, "a symbolic link leaves the root")
        if not _within(real, self._repo) or real == self._repo:
            raise CheckpointsError.outside_repository(api_path)
        return os.path.relpath(real, self._repo).replace(os.sep, "/")

    def dir_to_repo(self, api_path: str) -> str:
        """A folder's repository path: '' for the repository's own root."""
        if api_path.strip("/") == "":
            if not self.root_in_repository:
                raise CheckpointsError.outside_repository(api_path)
            relative = os.path.relpath(self._root, self._repo).replace(os.sep, "/")
            return "" if relative == "." else relative
        return self.to_repo(api_path)

    def from_repo(self, repo_path: str) -> str | None:
        """The API path of a repository path, None when it is outside the server's root."""
        real = os.path.join(self._repo, *repo_path.split("/"))
        if not _within(real, self._root) or real == self._root:
            return None
        return os.path.relpath(real, self._root).replace(os.sep, "/")

    @staticmethod
    def _check(api_path: str) -> str:
        if not isinstance(api_path, str):
            raise CheckpointsError.invalid_path(str(api_path), "not a string")
        if "\0" in api_path:
            raise CheckpointsError.invalid_path(api_path, "NUL byte")
        # API paths carry one leading slash at most ("/a/b" from the URL); more is absolute.
        relative = api_path[1:] if api_path.startswith("/") else api_path
        if relative.startswith("/") or os.path.isabs(relative):
            raise CheckpointsError.invalid_path(api_path, "absolute path")
        parts = [part for part in relative.split("/") if part not in ("", ".")]
        if ".." in parts:
            raise CheckpointsError.invalid_path(api_path, "'..' leaves the root")
        if not parts:
            raise CheckpointsError.invalid_path(api_path, "the root is not a file")
        return "/".join(parts)


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)
