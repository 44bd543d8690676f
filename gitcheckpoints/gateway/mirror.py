"""A bare mirror of the remote, where a push is checked before it is passed on.

A push names the ref's old and new commits; whether the new one descends from the
old needs the objects. The mirror fetches the branches being pushed from the remote
(what their old commits are), indexes the pushed pack beside them (``--fix-thin``:
the pack may lean on objects the remote has), and asks git for the ancestry.
"""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import Mapping, Sequence

from .pktline import RefUpdate


class MirrorError(Exception):
    """git failed in the mirror; the message is git's, without secrets."""


class Mirror:
    def __init__(self, path: str, remote_url: str, username: str, password: str) -> None:
        self.path = path
        self._url = remote_url
        self._env = _auth_environment(username, password)
        # One check at a time: fetch, index and ancestry see one state of the mirror.
        self._lock = asyncio.Lock()

    async def init(self) -> None:
        if not os.path.isdir(os.path.join(self.path, "objects")):
            await self._git("init", "--bare", "--quiet", self.path, cwd=None)

    async def fast_forwards(self, updates: Sequence[RefUpdate], pack: bytes) -> list[RefUpdate]:
        """The updates (of existing branches) whose new commit does not descend from the old."""
        updating = [u for u in updates if not u.is_create and not u.is_delete]
        if not updating:
            return []
        async with self._lock:
            refspecs = [f"+{u.ref}:refs/upstream/{u.ref[len('refs/') :]}" for u in updating]
            # A branch that is gone on the remote fails the fetch: the old commit is then unknown.
            await self._git("fetch", "--no-tags", "--quiet", self._url, *refspecs, check=False)
            if pack:
                await self._git("index-pack", "--stdin", "--fix-thin", stdin=pack)
            refused = []
            for update in updating:
                code = await self._git(
                    "merge-base", "--is-ancestor", update.old, update.new, check=False
                )
                if code != 0:
                    refused.append(update)
            return refused

    async def _git(
        self,
        *args: str,
        stdin: bytes | None = None,
        check: bool = True,
        cwd: str | None = "",
    ) -> int:
        env = {**os.environ, **self._env, "GIT_TERMINAL_PROMPT": "0"}
        if cwd == "":
            env["GIT_DIR"] = self.path
        process = await asyncio.create_subprocess_exec(
            "git",
            *args,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        _, stderr = await process.communicate(stdin)
        if check and process.returncode != 0:
            raise MirrorError(f"git {args[0]}: {stderr.decode(errors='replace').strip()}")
        return process.returncode or 0


def _auth_environment(username: str, password: str) -> Mapping[str, str]:
    """Basic auth for git as configuration in the environment, never in argv or a URL."""
    if not (username or password):
        return {}
    basic = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.extraHeader",
        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
    }
