"""/ready tells which real dependency is down: a store on a closed port, a database that refuses."""

from __future__ import annotations

import socket

from litestar.testing import AsyncTestClient
from sqlalchemy.pool import NullPool

from learning_api.app import create_app
from learning_api.db.session import make_sessionmaker
from learning_api.settings import Settings


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


async def test_ready_names_the_store_that_is_down(settings: Settings) -> None:
    port = _closed_port()
    broken = Settings(
        database_url=settings.database_url,
        object_store_url=f"s3://k:s@127.0.0.1:{port}/keelerada?secure=false",
        token_secret="x",
    )
    async with AsyncTestClient(app=create_app(broken)) as client:
        assert (await client.get("/health")).json() == {"status": "ok"}
        r = await client.get("/ready")
        assert r.status_code == 503
        assert r.json()["database"] == "ok" and r.json()["object_store"].startswith("down")


async def test_ready_names_the_database_that_is_down(settings: Settings) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    async with AsyncTestClient(app=create_app(settings)) as client:
        assert (await client.get("/ready")).status_code == 200
        working = client.app.state.sessionmaker
        dead = create_async_engine(
            f"postgresql+asyncpg://nobody@127.0.0.1:{_closed_port()}/none", poolclass=NullPool
        )
        client.app.state.sessionmaker = make_sessionmaker(dead)
        try:
            r = await client.get("/ready")
        finally:
            client.app.state.sessionmaker = working
        assert r.status_code == 503
        assert r.json()["database"].startswith("down") and r.json()["object_store"] == "ok"


async def test_unmigrated_database_refuses_to_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from learning_api.db.migrate import DatabaseNotMigrated

    fresh = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}",
                     object_store_url=f"file://{tmp_path / 'o'}", token_secret="x")  # fmt: skip
    with pytest.raises(BaseExceptionGroup) as failure:  # the lifespan's task group wraps it
        async with AsyncTestClient(app=create_app(fresh)):
            pass
    assert failure.group_contains(DatabaseNotMigrated, match="keelerada migrate")


def test_schema_head_is_the_migrations_head() -> None:
    """The start-up check compares with `SCHEMA_HEAD` (a worker does not import alembic): a new migration
    must move it, or every server would refuse a database migrated to the true head."""
    from alembic.script import ScriptDirectory

    from learning_api.db.migrate import MIGRATIONS, SCHEMA_HEAD

    assert ScriptDirectory(str(MIGRATIONS)).get_current_head() == SCHEMA_HEAD


async def test_a_database_one_migration_behind_refuses_to_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import anyio
    import pytest

    from learning_api.db.migrate import SCHEMA_HEAD, DatabaseNotMigrated, upgrade

    url = f"sqlite+aiosqlite:///{tmp_path / 'behind.db'}"
    await anyio.to_thread.run_sync(upgrade, url, "0017")
    behind = Settings(database_url=url, object_store_url=f"file://{tmp_path / 'o'}", token_secret="x")
    with pytest.raises(BaseExceptionGroup) as failure:
        async with AsyncTestClient(app=create_app(behind)):
            pass
    assert failure.group_contains(DatabaseNotMigrated, match=f"at 0017, the code needs {SCHEMA_HEAD}")
    await anyio.to_thread.run_sync(upgrade, url, "head")
    async with AsyncTestClient(app=create_app(behind)) as client:  # migrated: it starts
        assert (await client.get("/health")).status_code == 200
