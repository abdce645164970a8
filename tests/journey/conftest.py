"""A whole app for the learner's journey: real DB (SQLite, and PostgreSQL when configured), lessons
uploaded to the real S3 server, and a clock the test moves to simulate days."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.app import create_app
from learning_api.authoring.batch import upload_paths
from learning_api.settings import Settings
from learning_api.storage import open_store
from tests.conftest import fresh_database

COURSE = Path(__file__).resolve().parents[2] / "content" / "eesti-a1-a2"
JOURNEY_LESSONS = 4  # the first lessons of the course: enough for placement and three days of study


class MovableClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def clock() -> MovableClock:
    return MovableClock(datetime(2026, 11, 2, 7, 30, tzinfo=UTC))  # a Monday morning in Tallinn


@pytest.fixture(scope="session")
def journey_database_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Its own database (same backend as the run), so the course it loads meets no other test's data."""
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    return fresh_database(kind, "journey", tmp_path_factory)


@pytest.fixture(scope="session")
async def journey_db(journey_database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(journey_database_url, poolclass=NullPool)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


@pytest.fixture(scope="session")
async def course_store_url(s3_server, journey_db: async_sessionmaker[AsyncSession]) -> str:  # type: ignore[no-untyped-def]
    url = s3_server.new_bucket_url()
    store = open_store(url)
    store.ensure_bucket()
    lessons = sorted(COURSE.glob("*.yaml"))[:JOURNEY_LESSONS]
    report, outcomes = await upload_paths(journey_db, store, lessons, publish=True)
    assert report.ok, report
    assert len(outcomes) == JOURNEY_LESSONS
    return url


@pytest.fixture(scope="session")
async def journey_client(
    journey_database_url: str, course_store_url: str, clock: MovableClock
) -> AsyncIterator[AsyncTestClient]:
    settings = Settings(
        database_url=journey_database_url,
        object_store_url=course_store_url,
        token_secret="journey-" + uuid.uuid4().hex,
    )
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        yield client
