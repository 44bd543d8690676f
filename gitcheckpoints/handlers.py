"""The extra REST routes of docs/rest-api.md, under ``{base_url}git-checkpoints/``.

Handlers parse the request, call the engine proxy (``CheckpointService``) and
turn its typed errors into ``{code, message, data}`` with their HTTP status.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler, path_regex
from jupyter_server.utils import url_path_join
from tornado import web

from .errors import CheckpointsError
from .service import CheckpointService

#: Checkpoints are part of the contents: the same permission covers them.
AUTH_RESOURCE = "contents"

Method = Callable[..., Awaitable[None]]


def _engine_errors(method: Method) -> Method:
    """Answers a ``CheckpointsError`` as JSON with its own status."""

    @functools.wraps(method)
    async def wrapper(self: BaseHandler, *args: Any, **kwargs: Any) -> None:
        try:
            await method(self, *args, **kwargs)
        except CheckpointsError as error:
            self.set_status(error.status)
            self.finish(json.dumps(error.to_json()))

    return wrapper


class BaseHandler(APIHandler):
    auth_resource = AUTH_RESOURCE

    def initialize(self, service: Callable[[], CheckpointService]) -> None:
        self._get_service = service

    @property
    def service(self) -> CheckpointService:
        return self._get_service()

    def json_body(self) -> dict[str, Any]:
        """The request's JSON object; an empty body is ``{}``."""
        if not self.request.body:
            return {}
        try:
            body = json.loads(self.request.body)
        except ValueError:
            raise CheckpointsError.invalid_argument("The request body is not JSON") from None
        if not isinstance(body, dict):
            raise CheckpointsError.invalid_argument("The request body must be a JSON object")
        return body

    def reply(self, value: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(value))


class HistoryHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def get(self, path: str) -> None:
        limit = _limit(self.get_query_argument("limit", None), self.service.history_length)
        checkpoints = await self.service.list(path, limit, pushed=True)
        self.reply({"path": path.strip("/"), "checkpoints": checkpoints})


class ContentHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def get(self, path: str) -> None:
        checkpoint_id = self.get_query_argument("id", None)
        if not checkpoint_id:
            raise CheckpointsError.invalid_argument("The checkpoint id is missing (?id=...)")
        content = await self.service.read(path, checkpoint_id)
        try:
            model = {"format": "text", "content": content.decode("utf-8")}
        except UnicodeDecodeError:
            model = {"format": "base64", "content": base64.b64encode(content).decode("ascii")}
        self.reply({"path": path.strip("/"), "id": checkpoint_id, **model})


class CheckpointsHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def post(self, path: str) -> None:
        # The engine checks the message (a string; empty means the default one).
        message = self.json_body().get("message")
        self.reply(await self.service.create(path, message, pushed=True), 201)

    @web.authenticated
    @authorized
    @_engine_errors
    async def patch(self, path: str) -> None:
        """Renames a checkpoint: ``{id, message}``."""
        body = self.json_body()
        checkpoint_id, message = body.get("id"), body.get("message")
        if not isinstance(checkpoint_id, str) or not isinstance(message, str):
            raise CheckpointsError.invalid_argument(
                'The body must be {"id": string, "message": string}'
            )
        self.reply(await self.service.rename_checkpoint(path, checkpoint_id, message))


class TimelineHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def get(self, path: str) -> None:
        limit = _limit(self.get_query_argument("limit", None), self.service.history_length)
        page = await self.service.page(path, limit, self.get_query_argument("cursor", None))
        self.reply({"path": path.strip("/"), **page})


class DeletedHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def get(self, path: str) -> None:
        self.reply({"path": path.strip("/"), "files": await self.service.deleted(path)})


class RecoverHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def post(self, path: str) -> None:
        checkpoint_id = self.json_body().get("id")
        if not isinstance(checkpoint_id, str):
            raise CheckpointsError.invalid_argument('The body must be {"id": string}')
        self.reply(await self.service.recover(path, checkpoint_id), 201)


class StatusHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def get(self) -> None:
        self.reply(await self.service.status())


class PushHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def post(self) -> None:
        self.reply(await self.service.push(), 202)


class RemoteHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def get(self) -> None:
        self.reply(self.service.remote_settings())

    @web.authenticated
    @authorized
    @_engine_errors
    async def put(self) -> None:
        self.reply(await self.service.set_remote(self.json_body()))


class PasswordHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def put(self) -> None:
        await self.service.set_password(self.json_body())
        self.set_status(204)
        self.finish()


class UrlCredentialsHandler(BaseHandler):
    @web.authenticated
    @authorized
    @_engine_errors
    async def post(self) -> None:
        self.reply(await self.service.move_url_credentials())


def route_table(service: Callable[[], CheckpointService]) -> list[tuple[str, type, dict]]:
    """The routes relative to ``base_url``; ``service`` is looked up per request."""
    kwargs = {"service": service}
    prefix = "git-checkpoints"
    return [
        (url_path_join(prefix, "history") + path_regex, HistoryHandler, kwargs),
        (url_path_join(prefix, "content") + path_regex, ContentHandler, kwargs),
        (url_path_join(prefix, "checkpoints") + path_regex, CheckpointsHandler, kwargs),
        (url_path_join(prefix, "timeline") + path_regex, TimelineHandler, kwargs),
        (url_path_join(prefix, "deleted") + path_regex, DeletedHandler, kwargs),
        (url_path_join(prefix, "recover") + path_regex, RecoverHandler, kwargs),
        (url_path_join(prefix, "status"), StatusHandler, kwargs),
        (url_path_join(prefix, "push"), PushHandler, kwargs),
        (url_path_join(prefix, "remote"), RemoteHandler, kwargs),
        (url_path_join(prefix, "remote", "password"), PasswordHandler, kwargs),
        (url_path_join(prefix, "remote", "url-credentials"), UrlCredentialsHandler, kwargs),
    ]


def _limit(value: str | None, default: int) -> int:
    """The query's ``limit`` as a number; its range is the engine's to check."""
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise CheckpointsError.invalid_argument(f"limit must be a number, not '{value}'") from None
