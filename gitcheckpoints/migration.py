"""Homes set up by the original system: a password written into a remote's URL.

The original pushed to ``origin`` with ``http://user:password@host/repo.git`` in
``.git/config``. The repository itself keeps working as it is; this module finds such
URLs (to warn) and rewrites them without the credential, under git's lock
(``config.lock``), handing the credential back to be kept in memory only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from .errors import CheckpointsError

_SECTION = re.compile(r'^\s*\[\s*remote\s+"(?P<name>[^"]*)"\s*\]', re.IGNORECASE)
_HEADER = re.compile(r"^\s*\[")
_URL = re.compile(r"^(?P<lead>\s*url\s*=\s*)(?P<url>\S+)(?P<tail>\s*)$", re.IGNORECASE)


@dataclass(frozen=True)
class UrlCredential:
    """A remote whose URL carries a credential: its name, the URL without it, the credential."""

    remote: str
    url: str
    username: str
    password: str


def credentials_in_urls(git_dir: str) -> list[UrlCredential]:
    """The remotes in ``<git_dir>/config`` whose http(s) URL has a user or password in it."""
    found, _ = _scan(_read(os.path.join(git_dir, "config")))
    return found


def move_credentials_out(git_dir: str) -> list[UrlCredential]:
    """Rewrites those URLs without their credential; returns what was taken out."""
    path = os.path.join(git_dir, "config")
    lock = f"{path}.lock"
    try:
        descriptor = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise CheckpointsError(
            "Locked", "git holds .git/config.lock; try again when it is done", 423
        ) from None
    try:
        found, text = _scan(_read(path))
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        if found:
            os.replace(lock, path)
        return found
    finally:
        if os.path.exists(lock):
            os.unlink(lock)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        return ""


def _scan(text: str) -> tuple[list[UrlCredential], str]:
    """The credentials found, and the config text with them removed (all else byte for byte)."""
    found: list[UrlCredential] = []
    lines = []
    remote: str | None = None
    for line in text.splitlines(keepends=True):
        if _HEADER.match(line):
            section = _SECTION.match(line)
            remote = section.group("name") if section else None
        url_line = _URL.match(line.rstrip("\n")) if remote is not None else None
        if url_line:
            stripped = _without_credential(url_line.group("url"))
            if stripped:
                clean, username, password = stripped
                found.append(UrlCredential(remote, clean, username, password))
                ending = "\n" if line.endswith("\n") else ""
                line = url_line.group("lead") + clean + url_line.group("tail") + ending
        lines.append(line)
    return found, "".join(lines)


def _without_credential(url: str) -> tuple[str, str, str] | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or "@" not in parts.netloc:
        return None
    userinfo, _, host = parts.netloc.rpartition("@")
    username, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=host)), unquote(username), unquote(password)
