"""Engine and the per-request session: services never commit, the request boundary does (or rolls back)."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

import msgspec
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def make_engine(database_url: str, **options: Any) -> AsyncEngine:
    """No ping before each checkout (a round trip on every request): after a database restart the first
    request that meets a dead connection fails, and SQLAlchemy then drops every pooled connection at once,
    so one request per worker pays instead of all of them always. ``options`` go to SQLAlchemy as they are
    (the learning bench passes its own SQLite connector)."""
    engine = create_async_engine(database_url, pool_recycle=3600, json_deserializer=read_json, **options)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # Foreign keys are off by default in SQLite; WAL lets readers run beside the one writer.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    return engine


def read_json(text: str | bytes) -> Any:
    """A JSON column's value, decoded by msgspec: an ability row's posterior (101 numbers) took the standard
    library 78 us against msgspec's 8, and every session and answer reads five. A text msgspec refuses
    (``NaN`` or ``Infinity``, which the standard library's encoder writes) is decoded as before."""
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


def make_sessionmaker(
    engine: AsyncEngine, info: dict[str, Any] | None = None
) -> async_sessionmaker[AsyncSession]:
    """``info``: each session's `Session.info` starts with it (the app's token cache, `token_cache.KEY`)."""
    return async_sessionmaker(engine, expire_on_commit=False, info=info)


def make_lookup_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for one read outside any transaction (the token lookup of every request): no BEGIN and no
    ROLLBACK round trip around a single SELECT. Never write through them."""
    return async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)


async def provide_db_session(state: State) -> AsyncGenerator[AsyncSession, None]:
    async with state.sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


DbSession = NamedDependency[AsyncSession]
"""Handler parameter type for the request's session (Litestar wants named dependencies marked)."""
