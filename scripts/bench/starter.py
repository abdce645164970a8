"""The real starter course in a throw-away database and object-store folder, for simulations that must
run on the bank learners meet (not a synthetic one): migrate, then the same upload `make run` does.
The simulations' own connections run SQLite in the loop's thread (`inline_sqlite`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.authoring.batch import upload_paths
from learning_api.db.migrate import upgrade
from learning_api.db.session import make_engine, make_sessionmaker
from learning_api.storage import ObjectStore, open_store
from scripts.bench.inline_sqlite import inline_creator

COURSE = Path(__file__).resolve().parents[2] / "content" / "eesti-a1-a2"


def database(folder: Path) -> Path:
    return folder / "bench.db"


def urls(folder: Path) -> tuple[str, str]:
    return f"sqlite+aiosqlite:///{database(folder)}", f"file://{folder / 'objects'}"


def load_starter(folder: Path) -> None:
    """Migrate and publish the starter course into `folder` (Alembic runs its own loop: not in ours)."""
    database_url, store_url = urls(folder)
    upgrade(database_url)

    async def upload() -> None:
        engine = make_engine(database_url)
        store = open_store(store_url, signing_secret="bench")
        store.ensure_bucket()
        report, _ = await upload_paths(make_sessionmaker(engine), store, [COURSE], publish=True)
        await engine.dispose()
        if not report.ok:
            raise SystemExit(f"the starter course does not validate: {report.problems[:3]}")

    asyncio.run(upload())


@asynccontextmanager
async def opened(folder: Path) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], ObjectStore]]:
    database_url, store_url = urls(folder)
    engine = make_engine(database_url, async_creator=inline_creator(database(folder)))

    @event.listens_for(engine.sync_engine, "connect")
    def _no_fsync(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # a throw-away database: a commit need not wait for the disk (the app's own pragmas still apply)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    try:
        yield make_sessionmaker(engine), open_store(store_url, signing_secret="bench")
    finally:
        await engine.dispose()
