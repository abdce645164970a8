"""A database the test can take down and bring back while a real server uses it, on SQLite and PostgreSQL.

PostgreSQL: the app reaches its own database through a TCP proxy (tests/fixtures/tcp_proxy.py) that a
test cuts; the shared server is never stopped. SQLite: the database's folder is moved away and the app's
idle connections are closed, so every new connection fails to open the file, as when a volume vanishes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.app import create_app
from learning_api.catalog.documents import Exercise
from learning_api.settings import Settings
from tests.conftest import fresh_database, published_lesson
from tests.fixtures.live import live_client
from tests.fixtures.tcp_proxy import TcpProxy


@dataclass
class Outage:
    """The app's database, which ``cut`` takes away and ``restore`` gives back."""

    kind: str
    app_url: str
    proxy: TcpProxy | None = None
    folder: Path | None = None
    app: Litestar | None = field(default=None, repr=False)
    down: bool = False

    async def cut(self) -> None:
        if self.proxy is not None:
            await self.proxy.cut()
        else:
            assert self.folder is not None and self.app is not None
            os.rename(self.folder, self.folder.with_name(self.folder.name + "-away"))
            await self.app.state.engine.dispose()  # idle connections would still hold the moved file
        self.down = True

    async def restore(self) -> None:
        if self.proxy is not None:
            await self.proxy.start()
        else:
            assert self.folder is not None
            os.rename(self.folder.with_name(self.folder.name + "-away"), self.folder)
        self.down = False


@dataclass
class World:
    outage: Outage
    http: httpx.AsyncClient
    db: async_sessionmaker[AsyncSession]
    exercises: list[Exercise]


@pytest.fixture(scope="module")
async def world(
    database_url: str, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    direct_url = fresh_database(kind, "outage", tmp_path_factory)
    engine = create_async_engine(direct_url, poolclass=NullPool)
    db = async_sessionmaker(engine, expire_on_commit=False)
    lesson = await published_lesson(db, settings, tmp_path_factory.mktemp("lesson"))
    if kind == "postgresql":
        url = make_url(direct_url)
        proxy = await TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
        outage = Outage(kind, url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy=proxy)
    else:
        outage = Outage(kind, direct_url, folder=Path(make_url(direct_url).database or "").parent)
    app = create_app(
        Settings(
            database_url=outage.app_url,
            object_store_url=settings.object_store_url,
            token_secret="outage-" + uuid.uuid4().hex,
        )
    )
    outage.app = app
    typed = [e for e in lesson.values() if e.type in ("cloze", "inflect", "translate", "choice")]
    try:
        async with live_client(app) as http:
            yield World(outage, http, db, typed)
    finally:
        if outage.down:
            await outage.restore()
        if outage.proxy is not None:
            await outage.proxy.cut()
        await engine.dispose()
