"""An app over its own database with real lessons of the starter course (A1 and A2) in a local store,
and a clock the tests move: the ground the study-rule tests stand on (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.app import create_app
from learning_api.authoring.batch import upload_paths
from learning_api.catalog.documents import Exercise
from learning_api.catalog.library import exercises_by_id, load_lesson
from learning_api.settings import Settings
from learning_api.storage import open_store
from tests.conftest import fresh_database

COURSE = Path(__file__).resolve().parents[2] / "content" / "eesti-a1-a2"
LESSONS = ("a1-01-tere", "a1-02-minu-nimi", "a2-31-eile")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Course:
    client: AsyncTestClient
    db: async_sessionmaker[AsyncSession]
    clock: Clock
    exercises: dict[str, Exercise]


@pytest.fixture(scope="module")
async def course(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Course]:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url = fresh_database(kind, "adaptive", tmp_path_factory)
    objects = f"file://{tmp_path_factory.mktemp('adaptive-objects')}"
    engine = create_async_engine(url, poolclass=NullPool)
    db = async_sessionmaker(engine, expire_on_commit=False)
    store = open_store(objects)
    store.ensure_bucket()
    report, _ = await upload_paths(db, store, [COURSE / f"{name}.yaml" for name in LESSONS], publish=True)
    assert report.ok, report.problems
    exercises = {k: v for name in LESSONS for k, v in exercises_by_id(load_lesson(store, name, 1)).items()}
    settings = Settings(database_url=url, object_store_url=objects, token_secret="t-" + uuid.uuid4().hex,
                        params_refresh_seconds=0.0)  # fmt: skip
    clock = Clock()
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        yield Course(client, db, clock, exercises)
    await engine.dispose()


async def user(course: Course, role: str = "learner", **profile: object) -> dict[str, str]:
    """An account made as ops make one (any role), logged in through the API; ``profile`` is PATCHed."""
    from learning_api.accounts.service import register

    email, password = f"{role}-{uuid.uuid4().hex[:10]}@example.ee", "hea-parool-123"
    async with course.db() as session, session.begin():
        made = await register(session, email=email, password=password, role=role)
    login = await course.client.post("/auth/login", json={"email": email, "password": password})
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    if profile:
        patched = await course.client.patch("/me/profile", json=profile, headers=auth)
        assert patched.status_code == 200, patched.text
    return {"id": str(made.id), **auth}


def headers(account: dict[str, str]) -> dict[str, str]:
    return {"Authorization": account["Authorization"]}


async def answer(
    course: Course, account: dict[str, str], item_id: str, right: bool = True, **extra: object
) -> dict:  # type: ignore[type-arg]
    exercise = course.exercises[item_id]
    body: dict[str, object] = {"id": str(uuid.uuid4()), "item_id": item_id,
                               "answered_at": course.clock.now.isoformat()}  # fmt: skip
    if exercise.type == "flashcard" and exercise.direction != "native-et":
        body["self_grade"] = 3 if right else 1
    else:
        body["response"] = exercise.answers[0] if right else "xyzzy"
    r = await course.client.post("/study/answers", json={**body, **extra}, headers=headers(account))
    assert r.status_code == 200, r.text
    result = r.json()["results"][0]
    assert result["status"] == "accepted", result
    return result


async def study_session(course: Course, account: dict[str, str], size: int = 12) -> dict:  # type: ignore[type-arg]
    r = await course.client.get("/study/session", params={"size": size, "seed": 1}, headers=headers(account))
    assert r.status_code == 200, r.text
    return r.json()
