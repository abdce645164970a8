"""Failed-log-in limits per account and per client address that hold under parallel guesses.

Counting recent failures and then inserting one let 40 parallel wrong guesses get 19 through a limit of
5: each read "under the limit" before any of them was written. Here every attempt is counted *before* the
password is checked, by one statement that increments the key's counter only while it is under the limit
(``INSERT … ON CONFLICT … DO UPDATE … WHERE``, on SQLite and PostgreSQL alike). The database orders
upserts on one row, so exactly ``limit`` attempts are counted and let through; a log-in that then
succeeds takes its attempt back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from learning_api.db.tables import LoginLimit
from learning_api.errors import RateLimited

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``allowed`` failed attempts per window for ``key`` (``account:<email>`` or ``client:<ip>``)."""

    key: str
    allowed: int


def account_limit(email: str, allowed: int) -> Limit:
    return Limit(f"account:{email}", allowed)


def client_limit(address: str, allowed: int) -> Limit:
    return Limit(f"client:{address}", allowed)


def _count(dialect: str, limit: Limit, window: timedelta, now: datetime):  # type: ignore[no-untyped-def]
    """One statement: count an attempt for the key if it is under its limit (a window that has run out
    starts again at ``now`` with this attempt); it changes no row when the limit is reached."""
    stmt = _INSERT[dialect](LoginLimit).values(scope_key=limit.key, window_start=now, failures=1)
    expired = LoginLimit.window_start <= now - window
    return stmt.on_conflict_do_update(
        index_elements=[LoginLimit.scope_key],
        set_={
            "failures": case((expired, 1), else_=LoginLimit.failures + 1),
            "window_start": case((expired, stmt.excluded.window_start), else_=LoginLimit.window_start),
        },
        where=expired | (LoginLimit.failures < limit.allowed),
    )


def _uncount(limit: Limit):  # type: ignore[no-untyped-def]
    return (
        update(LoginLimit)
        .where(LoginLimit.scope_key == limit.key, LoginLimit.failures > 0)
        .values(failures=LoginLimit.failures - 1)
    )


async def count_attempt(engine: AsyncEngine, limits: list[Limit], window: timedelta, now: datetime) -> None:
    """Count this attempt under every limit, or raise RateLimited having counted nothing.

    Each statement commits on its own (autocommit), outside the request's transaction: the count must
    stand before the password is checked and whatever the request does next, and the database lock it
    takes lasts one statement, not a round trip through the event loop (SQLite's one writer lock would
    otherwise queue parallel log-ins until they time out). No RETURNING for the same reason: SQLite keeps
    a statement with rows to fetch open, so whether it counted is read from the row count."""
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        counted: list[Limit] = []
        for limit in limits:
            if (await conn.execute(_count(conn.dialect.name, limit, window, now))).rowcount == 1:
                counted.append(limit)
                continue
            for earlier in counted:  # that attempt never happens: it must not count elsewhere either
                await conn.execute(_uncount(earlier))
            since = await conn.scalar(
                select(LoginLimit.window_start).where(LoginLimit.scope_key == limit.key)
            )
            retry = max(1, int(((since or now) + window - now).total_seconds()) + 1)
            raise RateLimited("too many failed log-ins: wait and try again", retry_after_seconds=retry)


async def take_back(session: AsyncSession, limits: list[Limit], window: timedelta, now: datetime) -> None:
    """The attempt succeeded, so it was no failure: uncount it, and drop counters whose window is over
    (the table holds only keys that failed recently)."""
    for limit in limits:
        await session.execute(_uncount(limit))
    await session.execute(delete(LoginLimit).where(LoginLimit.window_start <= now - window))
