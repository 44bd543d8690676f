"""Jupyter API paths (relative to the server's ``root_dir``) to repository-relative paths."""

from __future__ import annotations

import os

from .errors import CheckpointsError


class PathMapper:
    """Maps ``/dir/a.ipynb`` under ``root_dir`` to ``work/dir/a.ipynb`` in the repository.

    Only what the engine cannot know is decided here, since it knows the
    repository but not the server's root: a path that leaves the root (``..``,
    an absolute path, a symbolic link pointing outside) is ``InvalidPath``, and
    one inside the root but outside the repository is ``OutsideRepository``.
    The engine checks the repository-relative path itself (``.git``, NUL bytes,
    symbolic links inside the repository).
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
        # API paths carry one leading slash at most ("/a/b" from the URL); more is absolute.
        relative = api_path[1:] if api_path.startswith("/") else api_path
        os_path = os.path.join(self._root, relative)
        try:
            real = self._resolve_parent(os_path)
        except ValueError:  # e.g. a NUL byte, which no file name holds
            raise CheckpointsError.invalid_path(api_path, "not a file name") from None
        if not _within(real, self._root):
            through_link = _within(os.path.normpath(os_path), self._root)
            reason = "a symbolic link leaves the root" if through_link else "it leaves the root"
            raise CheckpointsError.invalid_path(api_path, reason)
        if real == self._root:
            raise CheckpointsError.invalid_path(api_path, "the root is not a file")
        if not _within(real, self._repo):
            raise CheckpointsError.outside_repository(api_path)
        return os.path.relpath(real, self._repo).replace(os.sep, "/")

    def _resolve_parent(self, os_path: str) -> str:
        """The path as the OS resolves it, but for the file itself unless it links out of the root.

        A deleted or renamed file has no target, so only its parent is resolved;
        a symbolic link inside the root is left for the engine to refuse.
        """
        name = os.path.basename(os_path)
        if name in ("", ".", ".."):
            return os.path.realpath(os_path)
        real = os.path.join(os.path.realpath(os.path.dirname(os_path)), name)
        if os.path.islink(real) and not _within(os.path.realpath(real), self._root):
            return os.path.realpath(real)
        return real

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


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)
