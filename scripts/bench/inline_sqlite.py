"""SQLite for a simulation that calls the app from one coroutine at a time: each statement runs at once
in the event loop's thread instead of aiosqlite's worker thread.

aiosqlite hands every call (execute, fetch, commit) to its own thread and wakes the loop with the result:
two thread switches per call, which the learning bench's ~400 calls per learner-day paid for in full
(about 10 % of its CPU, more on a busy machine where the woken thread waits for a core). The bench never
awaits two statements at once, so nothing overlapped in that thread anyway; the statements, their order
and the database are the same. Not for the app: a server must not block its loop on the disk.

The app hands its CPU-bound steps (rendering a session, grading a batch) to anyio's worker threads for
the same reason; `inline_threads` runs them at once in the loop's thread, as the simulation awaits each
before it does anything else: the same functions on the same arguments, without the two thread switches.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Generator, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
import anyio.to_thread


class _AtOnce:
    """aiosqlite's request queue, each request served as it is put."""

    def put_nowait(self, request: tuple[asyncio.Future | None, Callable[[], Any]]) -> None:
        future, function = request
        try:
            result = function()
        except Exception as error:  # handed to the awaiting caller, as aiosqlite does
            if future is not None and not future.done():
                future.set_exception(error)
        else:
            if future is not None and not future.done():
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose worker thread is never started (see the module docstring)."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _AtOnce()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, InlineConnection]:
        return self._connect().__await__()


def inline_creator(path: Path) -> Callable[[], Awaitable[InlineConnection]]:
    """`create_async_engine(async_creator=...)` for the SQLite file at `path`."""

    async def connect() -> InlineConnection:
        return await InlineConnection(partial(sqlite3.connect, path, check_same_thread=False))

    return connect


@contextmanager
def inline_threads() -> Iterator[None]:
    """`anyio.to_thread.run_sync` calls its function in the calling thread while this lasts (see the
    module docstring); for a process that runs one simulation coroutine at a time."""
    original = anyio.to_thread.run_sync

    async def at_once(function: Callable[..., Any], *args: Any, **_options: Any) -> Any:
        return function(*args)

    anyio.to_thread.run_sync = at_once  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original
