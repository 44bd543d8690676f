"""Typed errors: the engine's, carried across the process boundary, and the few of our own."""

from __future__ import annotations

from typing import Any

from tornado.web import HTTPError

from .contract import status as status_of


class CheckpointsError(Exception):
    """An error with a stable ``code``, a JSON ``data`` payload and an HTTP status.

    Engine errors arrive as ``{code, message, data, status}``; the status comes
    from the engine's own ``HTTP_STATUS`` table, and the few codes raised here
    take theirs from the contract, so the mapping lives in one place.
    """

    def __init__(
        self, code: str, message: str, status: int, data: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.data = data or {}

    @classmethod
    def from_engine(cls, error: dict[str, Any]) -> CheckpointsError:
        """Rebuilds an engine error; anything unexpected is an internal error (500)."""
        status = error.get("status")
        return cls(
            str(error.get("code", "Internal")),
            str(error.get("message", "Internal error in the checkpoint engine")),
            status if isinstance(status, int) else status_of("Internal"),
            error.get("data") if isinstance(error.get("data"), dict) else {},
        )

    @classmethod
    def of(cls, code: str, message: str, **data: Any) -> CheckpointsError:
        """An error with the status the contract gives its code."""
        return cls(code, message, status_of(code), data)

    @classmethod
    def invalid_path(cls, path: str, reason: str) -> CheckpointsError:
        return cls.of("InvalidPath", f"Invalid path '{path}': {reason}", path=path, reason=reason)

    @classmethod
    def invalid_argument(cls, message: str, **data: Any) -> CheckpointsError:
        return cls.of("InvalidArgument", message, **data)

    @classmethod
    def outside_repository(cls, path: str) -> CheckpointsError:
        # The extra routes' answer; the standard API gives such files Jupyter's own checkpoints.
        return cls.of(
            "OutsideRepository", f"'{path}' is outside the checkpoint repository", path=path
        )

    @classmethod
    def unavailable(cls, message: str) -> CheckpointsError:
        return cls.of("EngineUnavailable", message)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": self.data}

    def to_http_error(self) -> HTTPError:
        """For the standard contents API, whose handlers render HTTPError as JSON."""
        return HTTPError(self.status, self.message, reason=self.code)
