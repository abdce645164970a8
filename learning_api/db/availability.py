"""What "the database is down" looks like, in one place: the API answers it with 503 and Retry-After,
`keelerada serve` waits for it to pass, and the CLI says it in one line.

A cut connection surfaces as a plain DBAPIError marked ``connection_invalidated`` (or, when cut while
connecting, carrying the driver's SQLSTATE 08…), a refused one as the driver's ConnectionRefusedError,
SQLite's missing or locked file as OperationalError."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

RETRY_AFTER_SECONDS = 5
# SQLSTATE: class 08 (connection exception), the server shutting down or starting (57P01-57P03), and
# too many connections (53300). Drivers carry it as ``sqlstate``.
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def database_unavailable(error: BaseException) -> bool:
    """True for the errors a retry may cure: no connection, a connection cut, a server going down."""
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
        return True
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    link: BaseException | None = error
    while link is not None:  # the driver's error, and what caused it (a cut while connecting is generic)
        if isinstance(link, ConnectionError | TimeoutError):
            return True
        if str(getattr(link, "sqlstate", None) or "").startswith(UNAVAILABLE_SQLSTATES):
            return True
        link = link.__cause__
    return False


def one_line(error: BaseException) -> str:
    """The first line of the driver's own message (SQLAlchemy appends the statement and a link)."""
    inner = getattr(error, "orig", None) or error
    return f"{type(inner).__name__}: {str(inner).splitlines()[0] if str(inner) else ''}".rstrip(": ")


async def wait_for_database(
    engine: AsyncEngine, seconds: float, say: Callable[[str], None], pause: float = 1.0
) -> None:
    """Return once ``SELECT 1`` succeeds; while it fails, say so once and retry for up to ``seconds``.
    Raises the last error when the time is up."""
    deadline = time.monotonic() + seconds
    told = False
    while True:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return
        except Exception as error:
            if not database_unavailable(error) or time.monotonic() + pause > deadline:
                raise
            if not told:
                say(f"database not reachable ({one_line(error)}): retrying for up to {seconds:g} s")
                told = True
            await asyncio.sleep(pause)
