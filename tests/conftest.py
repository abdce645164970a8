"""Shared fixtures: a migrated database on SQLite always and on PostgreSQL when KEELERADA_TEST_PG is set,
an app wired to it with a local object store, and an HTTP client through the real ASGI stack."""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.app import create_app
from learning_api.authoring.batch import upload_paths
from learning_api.catalog.documents import Exercise
from learning_api.catalog.library import exercises_by_id, load_lesson
from learning_api.db.migrate import upgrade
from learning_api.settings import Settings
from learning_api.storage import open_store
from tests.unit.authoring.exam_fixture import unique_exam_lesson_id, write_exam_course
from tests.unit.authoring.lesson_fixture import unique_lesson_id, write_course

pytest_plugins = ["tests.fixtures.s3"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# PostgreSQL databases are named per checkout, so suites run from two clones (or worktrees) on one server
# do not drop each other's databases.
CHECKOUT_TAG = hashlib.sha1(str(PROJECT_ROOT).encode()).hexdigest()[:6]
PG_ENV = "KEELERADA_TEST_PG"
ROOT_AUTH: dict[int, str] = {}


def _in_thread(fn, *args) -> None:  # type: ignore[no-untyped-def]
    """Alembic's env.py runs its own event loop; keep it off the test loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(fn, *args).result()


async def _recreate_pg_database(url: str, name: str) -> str:
    """A fresh, empty database beside the one in ``url`` (dropped first if a past run left it)."""
    base = make_url(url)
    engine = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL run skipped: set {PG_ENV}=postgresql+asyncpg://user@host:port/db to run it")
    return url


def fresh_database(kind: str, name: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database of ``kind`` (sqlite | postgresql) for one group of tests."""
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp(name) / 'test.db'}"
    else:
        url = _pg_url()
        holder: list[str] = []
        database = f"keelerada_{name}_{CHECKOUT_TAG}"
        _in_thread(lambda: holder.append(asyncio.run(_recreate_pg_database(url, database))))
        url = holder[0]
    _in_thread(upgrade, url)
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated database; every DB test runs once per backend."""
    yield fresh_database(request.param, "main", tmp_path_factory)


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    objects = tmp_path_factory.mktemp("objects")
    return Settings(
        database_url=database_url,
        object_store_url=f"file://{objects}",
        token_secret="test-secret-" + uuid.uuid4().hex,
        login_failures_per_account=5,
        login_failures_per_client=12,
        # The root admin logs in once for the whole session, which outlasts the 15-minute default;
        # token expiry is tested with apps of its own.
        access_token_ttl_minutes=24 * 60,
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test's own event loop: the app's engine lives on the test client's portal loop,
    and asyncpg connections cannot cross loops."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


@pytest.fixture(scope="session")
async def client(app: Litestar, db: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncTestClient]:
    """The HTTP client, with a root admin made the way ops make the first one (straight in the DB);
    every other role in the tests is granted by that admin through the API."""
    from learning_api.accounts.service import register

    email, password = unique_email("root"), "root-parool-123"
    async with db() as session, session.begin():
        await register(session, email=email, password=password, role="admin")
    async with AsyncTestClient(app=app) as test_client:
        login = await test_client.post("/auth/login", json={"email": email, "password": password})
        ROOT_AUTH[id(test_client)] = f"Bearer {login.json()['token']}"
        yield test_client


async def published_lesson(
    db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> dict[str, Exercise]:
    """A freshly uploaded and published lesson with every exercise type; its exercises by id."""
    lesson_id = unique_lesson_id()
    store = open_store(settings.object_store_url)
    store.ensure_bucket()  # the app's start makes it too, but a test may upload before any app started
    report, _ = await upload_paths(
        db, store, [write_course(tmp_path / lesson_id, lesson_id=lesson_id)], publish=True
    )
    assert report.ok, report.problems
    return exercises_by_id(load_lesson(store, lesson_id, 1))


async def published_exam_lesson(
    db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> str:
    """A freshly uploaded and published A2 lesson with a reading text and a dialogue; its lesson id."""
    lesson_id = unique_exam_lesson_id()
    store = open_store(settings.object_store_url)
    store.ensure_bucket()
    report, _ = await upload_paths(
        db, store, [write_exam_course(tmp_path / lesson_id, lesson_id=lesson_id)], publish=True
    )
    assert report.ok, report.problems
    return lesson_id


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.ee"


async def sign_up(client: httpx.AsyncClient, *, role: str = "learner", **extra: str) -> dict[str, str]:
    """Register and log in a user; other roles are granted through the admin route, as in production."""
    email, password = unique_email(role), "hea-parool-123"
    response = await client.post("/auth/register", json={"email": email, "password": password, **extra})
    assert response.status_code == 201, response.text
    user_id = response.json()["id"]
    if role != "learner":
        granted = await client.put(
            f"/users/{user_id}/role", json={"role": role}, headers={"Authorization": ROOT_AUTH[id(client)]}
        )
        assert granted.status_code == 200, granted.text
    tokens = (await client.post("/auth/login", json={"email": email, "password": password})).json()
    token = tokens["token"]
    return {
        "email": email,
        "password": password,
        "id": user_id,
        "token": token,
        "auth": f"Bearer {token}",
        "refresh_token": tokens["refresh_token"],
    }
