"""One line, not a traceback, for the database problems an operator fixes: a schema not migrated yet
(it names `keelerada migrate`) and a database that cannot be reached."""

from __future__ import annotations

import asyncio

from sqlalchemy.exc import SQLAlchemyError

from learning_api.db.availability import database_unavailable, one_line
from learning_api.db.migrate import DatabaseNotMigrated, ensure_migrated
from learning_api.db.session import make_engine
from learning_api.settings import get_settings


async def _check_schema(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        await ensure_migrated(engine)
    finally:
        await engine.dispose()


def database_trouble(error: BaseException) -> str | None:
    """The line to print for ``error``, or None when it is not a database problem of that kind. A failed
    query may be a missing table (SQLite says OperationalError, PostgreSQL ProgrammingError), so the
    schema's revision is checked before anything else is concluded."""
    if isinstance(error, DatabaseNotMigrated):
        return str(error)
    if not isinstance(error, SQLAlchemyError) and not database_unavailable(error):
        return None
    try:
        asyncio.run(_check_schema(get_settings().database_url))
    except DatabaseNotMigrated as not_migrated:
        return str(not_migrated)
    except Exception as unreachable:
        if database_unavailable(unreachable):
            return f"database not reachable: {one_line(unreachable)}"
        return None
    return f"database not reachable: {one_line(error)}" if database_unavailable(error) else None
