"""The engine process: one long-lived ``node`` child speaking newline-delimited JSON.

All pipe I/O runs on a private event loop in a daemon thread: any thread and any
event loop can send requests and await answers, so the server's loop never blocks
and the sync face (on a helper thread) shares the same process. One process serves every
request of a Jupyter server; requests are pipelined and answered out of order.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import json
import logging
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from .errors import CheckpointsError

#: The levels the engine writes at the start of each stderr line.
_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}

#: How long a caller waits for the engine to answer; a stuck engine is restarted.
DEFAULT_TIMEOUT = 120.0


class EngineClient:
    """Starts, talks to, restarts and stops the engine process.

    ``env`` is called at each (re)start, so a restarted engine gets the current
    settings. ``on_start`` runs after each start, before any other request is
    sent: it is where secrets reach the new process (over stdin, never argv or env).
    """

    def __init__(
        self,
        command: Sequence[str] | Callable[[], Sequence[str]],
        env: Callable[[], Mapping[str, str]],
        log: logging.Logger,
        *,
        on_start: Callable[[EngineClient], Awaitable[None]] | None = None,
        max_message_bytes: int = 256 * 2**20,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._command = command
        self._env = env
        self._log = log
        self._on_start = on_start
        self._max_message_bytes = max_message_bytes
        self._timeout = timeout
        self._ids = itertools.count(1)
        self._process: asyncio.subprocess.Process | None = None
        # Set when the process's stdout ends: the first sign of its death, before it is reaped.
        self._output_ended = False
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._closed = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="gitcheckpoints-engine", daemon=True
        )
        self._thread.start()
        self._start_lock = asyncio.Lock()

    @property
    def pid(self) -> int | None:
        """The running engine's process id (None before the first request)."""
        return self._process.pid if self._running() else None  # type: ignore[union-attr]

    def _running(self) -> bool:
        process = self._process
        return process is not None and process.returncode is None and not self._output_ended

    async def request(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """Sends one request and returns its result; raises CheckpointsError."""
        return await asyncio.wrap_future(self.submit(method, params))

    def submit(
        self, method: str, params: Mapping[str, Any] | None = None
    ) -> concurrent.futures.Future[Any]:
        """Sends one request from any thread; the future holds its result."""
        if self._closed:
            raise CheckpointsError.unavailable("the checkpoint engine has been stopped")
        return asyncio.run_coroutine_threadsafe(
            self._call(method, dict(params or {}), start=True), self._loop
        )

    async def _call(self, method: str, params: dict[str, Any], *, start: bool) -> Any:
        may_resend = start
        while True:
            if start:
                await self._ensure_started()
            process = self._process
            if process is None or process.stdin is None:
                raise CheckpointsError.unavailable("the checkpoint engine is not running")
            request_id = next(self._ids)
            answer: asyncio.Future[Any] = self._loop.create_future()
            self._pending[request_id] = answer
            message = {"id": request_id, "method": method, "params": params}
            try:
                process.stdin.write(json.dumps(message).encode() + b"\n")
                await process.stdin.drain()
                # A write into a dead process's pipe fails without raising here; asyncio
                # only marks the pipe closing (and drain returns).
                if process.stdin.is_closing():
                    raise BrokenPipeError
            except (BrokenPipeError, ConnectionResetError):
                # The process died before it could read this request: safe to resend once.
                self._pending.pop(request_id, None)
                await process.wait()
                if may_resend:
                    may_resend = False
                    continue
                raise CheckpointsError.unavailable("the checkpoint engine is not running") from None
            try:
                return await self._answer(process, method, answer)
            finally:
                self._pending.pop(request_id, None)

    async def _answer(
        self, process: asyncio.subprocess.Process, method: str, answer: asyncio.Future[Any]
    ) -> Any:
        try:
            return await asyncio.wait_for(answer, self._timeout)
        except asyncio.TimeoutError:
            self._log.error(
                "checkpoint engine: no answer to %s in %ss, restarting it", method, self._timeout
            )
            self._kill(process)
            raise CheckpointsError.unavailable(
                f"the checkpoint engine did not answer in {self._timeout:g} s"
            ) from None

    async def _ensure_started(self) -> None:
        async with self._start_lock:
            if self._running():
                return
            if self._closed:
                raise CheckpointsError.unavailable("the checkpoint engine has been stopped")
            # A callable command is resolved at each start; it may raise to say why it cannot.
            command = list(self._command() if callable(self._command) else self._command)
            try:
                process = await asyncio.create_subprocess_exec(
                    *command,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                    env=dict(self._env()),
                    limit=self._max_message_bytes,
                )
            except OSError as error:
                raise CheckpointsError.unavailable(
                    f"cannot start the checkpoint engine ({command[0]}): {error.strerror}"
                ) from None
            self._process = process
            self._output_ended = False
            self._log.info("checkpoint engine started (pid %s)", process.pid)
            self._loop.create_task(self._read_answers(process))
            self._loop.create_task(self._read_log(process))
            if self._on_start is not None:
                await self._on_start(self)

    async def call_during_start(self, method: str, params: Mapping[str, Any]) -> Any:
        """For ``on_start``: a request sent before the start lock is released."""
        return await self._call(method, dict(params), start=False)

    async def _read_answers(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        try:
            while line := await process.stdout.readline():
                self._settle(json.loads(line))
        except (ValueError, asyncio.LimitOverrunError) as error:
            self._log.error("checkpoint engine: unreadable answer (%s), restarting it", error)
            self._kill(process)
        if process is self._process:
            self._output_ended = True
        code = await process.wait()
        if not self._closed:
            self._log.warning("checkpoint engine (pid %s) exited with %s", process.pid, code)
        # Whatever was in flight is lost with the process; its callers hear it now.
        for request_id, answer in list(self._pending.items()):
            if not answer.done():
                answer.set_exception(
                    CheckpointsError.unavailable(
                        "the checkpoint engine stopped during the request; try again"
                    )
                )
            self._pending.pop(request_id, None)

    def _settle(self, message: dict[str, Any]) -> None:
        answer = self._pending.get(message.get("id"))  # type: ignore[arg-type]
        if answer is None or answer.done():
            self._log.warning(
                "checkpoint engine: answer to an unknown request %r", message.get("id")
            )
            return
        if "error" in message:
            answer.set_exception(CheckpointsError.from_engine(message["error"]))
        else:
            answer.set_result(message.get("result"))

    async def _read_log(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        level = logging.INFO
        while line := await process.stderr.readline():
            text = line.decode(errors="replace").rstrip()
            # "<level> <message>"; continuation lines are indented and keep the level.
            first, _, rest = text.partition(" ")
            if not text.startswith(" "):
                level = _LEVELS.get(first, logging.INFO)
                text = rest if first in _LEVELS else text
            self._log.log(level, "checkpoint engine: %s", text.strip())

    @staticmethod
    def _kill(process: asyncio.subprocess.Process) -> None:
        if process.returncode is None:
            process.kill()

    async def restart(self, timeout: float = 10.0) -> None:
        """Ends the engine after its requests in flight; the next request starts a new one."""
        await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(self._end_process(timeout), self._loop)
        )

    def stop(self, timeout: float = 10.0) -> None:
        """Ends the engine and the I/O thread. Idempotent; call it from any other thread."""
        if self._closed:
            return
        if threading.current_thread() is self._thread:
            # E.g. a finalizer run by the garbage collector on the I/O thread itself.
            threading.Thread(target=self.stop, args=(timeout,), daemon=True).start()
            return
        self._closed = True
        future = asyncio.run_coroutine_threadsafe(self._end_process(timeout), self._loop)
        try:
            future.result(timeout + 5)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self._loop.close()

    async def _end_process(self, timeout: float) -> None:
        # Under the start lock, so no request starts a second engine meanwhile.
        async with self._start_lock:
            process = self._process
            if process is None or process.returncode is not None:
                return
            assert process.stdin is not None
            # The engine answers what it has read, then exits when stdin closes.
            process.stdin.close()
            try:
                await asyncio.wait_for(process.wait(), timeout)
            except asyncio.TimeoutError:
                self._log.warning("checkpoint engine did not exit in %ss; killing it", timeout)
                process.kill()
                await process.wait()
