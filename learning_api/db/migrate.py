"""Alembic driven from code: the CLI, the tests and the start-up check all use the same migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseNotMigrated(RuntimeError):
    """The app refuses to serve a schema it does not know: half the routes would fail at random."""


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


async def ensure_migrated(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        current = await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
    head = head_revision()
    if current != head:
        raise DatabaseNotMigrated(
            f"database schema is at {current or 'nothing'}, the code needs {head}: "
            "run `keelerada migrate` (make run does it for you)"
        )
