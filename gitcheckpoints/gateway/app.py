"""The gateway's HTTP side: git smart HTTP in, checked, and passed on to the remote."""

from __future__ import annotations

import base64
import gzip
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tornado import httpclient, web

from .mirror import Mirror, MirrorError
from .pktline import ProtocolError, filter_advertisement, parse_push
from .policy import BranchPolicy, RateLimit

log = logging.getLogger("gitcheckpoints.gateway")

#: Request headers git clients send that the remote needs too.
FORWARDED_HEADERS = ("Content-Type", "Accept", "Content-Encoding", "Git-Protocol", "User-Agent")

#: Identifies a hub token: the user model, or None (``HubAuth.user_for_token``).
Identify = Callable[[str], Awaitable[dict[str, Any] | None]]


@dataclass
class GatewaySettings:
    remote_url: str
    remote_username: str
    remote_password: str
    #: The last part of the URL the single-user servers use: ``<prefix><repo>``.
    repo: str
    policy: BranchPolicy
    rate: RateLimit
    mirror: Mirror
    identify: Identify


class GitHandler(web.RequestHandler):
    """``info/refs``, ``git-upload-pack`` and ``git-receive-pack`` of the one remote."""

    def initialize(self, settings: GatewaySettings) -> None:
        self.gateway = settings

    def check_xsrf_cookie(self) -> None:
        """git clients send no cookie; each request carries the user's token instead."""

    async def prepare(self) -> None:
        self.user = await self._authenticate()
        wait = self.gateway.rate.take(self.user)
        if wait:
            self.set_header("Retry-After", str(int(wait) + 1))
            self._refuse(429, f"{self.user}: too many requests; try again in {wait:.0f} s")

    async def get(self, repo: str, endpoint: str) -> None:
        self._check_repo(repo, endpoint, "info/refs")
        service = self.get_query_argument("service", "")
        if service not in ("git-upload-pack", "git-receive-pack"):
            self._refuse(403, "only smart HTTP (?service=git-upload-pack|git-receive-pack)")
        response = await self._upstream("GET", f"info/refs?service={service}")
        body = response.body
        if service == "git-receive-pack" and response.code == 200:
            # The user sees, and so tries to update, their own branches only.
            try:
                body = filter_advertisement(body, lambda ref: self._owns(ref))
            except ProtocolError as error:
                self._refuse(502, f"the remote's ref list is not readable: {error}")
        self._answer(response, body)

    async def post(self, repo: str, endpoint: str) -> None:
        self._check_repo(repo, endpoint, "git-upload-pack", "git-receive-pack")
        body = self.request.body
        if endpoint == "git-receive-pack":
            if self.request.headers.get("Content-Encoding", "").lower() == "gzip":
                body = gzip.decompress(body)
                del self.request.headers["Content-Encoding"]
            await self._check_push(body)
        response = await self._upstream("POST", endpoint, body)
        self._answer(response, response.body)

    async def _check_push(self, body: bytes) -> None:
        try:
            push = parse_push(body)
        except ProtocolError as error:
            self._refuse(400, f"not a git push: {error}")
        for update in push.updates:
            if not self._owns(update.ref):
                self._refuse(403, f"{self.user} may not update {update.ref}: not their branch")
            if update.is_delete:
                self._refuse(403, f"{self.user} may not delete {update.ref}")
        try:
            refused = await self.gateway.mirror.fast_forwards(
                push.updates, body[push.pack_offset :]
            )
        except MirrorError as error:
            log.warning("%s: push not checked: %s", self.user, error)
            self._refuse(400, "the pushed pack could not be checked")
        if refused:
            refs = ", ".join(u.ref for u in refused)
            self._refuse(403, f"{self.user} may not rewrite {refs}: not a fast-forward")
        log.info("%s: push to %s", self.user, ", ".join(u.ref for u in push.updates))

    def _owns(self, ref: str) -> bool:
        return self.gateway.policy.owns(self.user, ref)

    async def _authenticate(self) -> str:
        token = _token(self.request.headers.get("Authorization", ""))
        try:
            model = await self.gateway.identify(token) if token else None
        except Exception as error:  # the hub is down or answered badly: not the user's fault
            log.error("cannot check a token with the hub: %s", error)
            self._refuse(503, "the hub cannot check the token now; try again")
        if not model or model.get("kind", "user") != "user":
            self.set_header("WWW-Authenticate", 'Basic realm="git-checkpoints gateway"')
            self._refuse(401, "a JupyterHub user token is required (as the password)")
        return model["name"]

    def _check_repo(self, repo: str, endpoint: str, *allowed: str) -> None:
        if repo != self.gateway.repo or endpoint not in allowed:
            self._refuse(404, "not found")

    async def _upstream(
        self, method: str, path: str, body: bytes | None = None
    ) -> httpclient.HTTPResponse:
        headers = {
            h: self.request.headers[h] for h in FORWARDED_HEADERS if h in self.request.headers
        }
        request = httpclient.HTTPRequest(
            f"{self.gateway.remote_url.rstrip('/')}/{path}",
            method=method,
            headers=headers,
            body=body,
            auth_username=self.gateway.remote_username or None,
            auth_password=self.gateway.remote_password or None,
            follow_redirects=False,
            decompress_response=False,
            connect_timeout=10,
            request_timeout=600,
        )
        try:
            response = await httpclient.AsyncHTTPClient().fetch(request, raise_error=False)
        except OSError as error:
            self._refuse(502, f"the remote cannot be reached: {error.strerror or error}")
        if response.code == 599:
            self._refuse(502, f"the remote cannot be reached: {response.error}")
        # A 403 to a push may be the remote's own rule (a protected branch): the user sees it.
        if response.code == 401 or (response.code == 403 and path != "git-receive-pack"):
            log.error("the remote refused the gateway's credential (HTTP %s)", response.code)
            self._refuse(502, "the remote refused the gateway's credential")
        return response

    def _answer(self, response: httpclient.HTTPResponse, body: bytes) -> None:
        self.set_status(response.code)
        for name in ("Content-Type", "Content-Encoding", "Cache-Control"):
            if name in response.headers:
                self.set_header(name, response.headers[name])
        self.finish(body)

    def _refuse(self, status: int, message: str) -> None:
        log.info("%s %s -> %s %s", self.request.method, self.request.path, status, message)
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(message + "\n")
        raise web.Finish()


def _token(header: str) -> str | None:
    """The hub token from ``Basic <user:token>`` (git's way) or ``token <token>``."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            user_pass = base64.b64decode(value, validate=True).decode()
        except ValueError:
            return None
        _, _, password = user_pass.partition(":")
        return password or None
    if scheme.lower() in ("token", "bearer"):
        return value.strip() or None
    return None


def make_app(settings: GatewaySettings, prefix: str) -> web.Application:
    route = re.escape(prefix.rstrip("/")) + r"/([^/]+)/(info/refs|git-upload-pack|git-receive-pack)"
    return web.Application([(route, GitHandler, {"settings": settings})])
