"""Alembic driven from code: the CLI, the tests and the start-up check all use the same migrations.

Alembic is imported only where migrations run (the CLI, the tests): an API worker's start-up check reads
the one-row version table with SQL and compares it with `SCHEMA_HEAD`, which spares every worker alembic's
~12 MB (measured; issue 14's memory budget). A test holds `SCHEMA_HEAD` to the migrations' real head.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMA_HEAD = "0018"
"""The newest migration's revision: a new migration moves it (test_schema_head_is_the_migrations_head)."""


class DatabaseNotMigrated(RuntimeError):
    """The app refuses to serve a schema it does not know: half the routes would fail at random."""


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


async def ensure_migrated(engine: AsyncEngine) -> None:
    try:
        async with engine.connect() as conn:
            current = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except DBAPIError:  # no version table: nothing was ever migrated
        current = None
    if current != SCHEMA_HEAD:
        raise DatabaseNotMigrated(
            f"database schema is at {current or 'nothing'}, the code needs {SCHEMA_HEAD}: "
            "run `keelerada migrate` (make run does it for you)"
        )
