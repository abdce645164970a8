"""The organisation's impact report, on its own database (a known population, so the figures can be
checked): grouped by county and by language, small cells hidden, counts rounded, admins only."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.accounts.service import register
from learning_api.app import create_app
from learning_api.db.tables import (
    Ability,
    AbilitySnapshot,
    Answer,
    Course,
    Item,
    LearnerProfile,
    Lesson,
    User,
)
from learning_api.settings import Settings
from tests.conftest import fresh_database, unique_email

NOW = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
# county → (learners active in November, instruction language)
POPULATION = {"Ida-Virumaa": (23, "ru"), "Tallinn": (15, "uk"), "Pärnumaa": (11, "ru"), "Tartumaa": (4, "en")}
GAINERS = 12  # Ida-Virumaa learners whose overall level rises from A1 to A2 within November


async def _seed(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session, session.begin():
        session.add(Course(id="rep-course"))
        session.add(Lesson(id="rep-lesson", course_id="rep-course", level="A1", topic="t"))
        await session.flush()
        item = Item(
            id="rep-item-1",
            lesson_id="rep-lesson",
            lesson_version=1,
            type="cloze",
            level="A1",
            skill="grammar",
            topic="t",
        )
        session.add(item)
    async with db() as session, session.begin():
        k = 0
        for region, (n, lang) in POPULATION.items():
            for i in range(n):
                user = User(email=f"rep-{k}@example.ee", password_hash="x")
                session.add(user)
                await session.flush()
                session.add(LearnerProfile(user_id=user.id, region=region, instruction_language=lang))
                for day in range(3):
                    at = NOVEMBER + timedelta(days=day)
                    session.add(
                        Answer(
                            learner_id=user.id,
                            id=uuid.uuid4(),
                            item_id=item.id,
                            answered_at=at,
                            received_at=at,
                            response="x",
                            correct=True,
                            verdict="exact",
                            grade=3,
                            latency_ms=60_000,
                        )
                    )
                gains = region == "Ida-Virumaa" and i < GAINERS
                start, end = -2.0, (-1.0 if gains else -1.9)
                session.add(
                    AbilitySnapshot(
                        learner_id=user.id, day="2026-11-10", skill="grammar", theta=start, se=0.5
                    )
                )
                session.add(
                    AbilitySnapshot(learner_id=user.id, day="2026-11-20", skill="grammar", theta=end, se=0.5)
                )
                session.add(
                    Ability(
                        learner_id=user.id,
                        skill="grammar",
                        theta=end,
                        se=0.4,
                        n_answers=30,
                        posterior=[],
                        updated_at=NOVEMBER,
                    )
                )
                k += 1


@pytest.fixture(scope="module")
async def report_client(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[AsyncTestClient, dict[str, str]]]:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url = fresh_database(kind, "reports", tmp_path_factory)
    engine = create_async_engine(url, poolclass=NullPool)
    db = async_sessionmaker(engine, expire_on_commit=False)
    await _seed(db)
    auth = {}
    async with db() as session, session.begin():
        for role in ("admin", "teacher", "learner"):
            auth[role] = unique_email(role)
            await register(session, email=auth[role], password="hea-parool-123", role=role)
    settings = Settings(database_url=url, object_store_url=f"file://{tmp_path_factory.mktemp('rep')}")
    async with AsyncTestClient(app=create_app(settings, clock=lambda: NOW)) as client:
        for role, email in auth.items():
            login = await client.post("/auth/login", json={"email": email, "password": "hea-parool-123"})
            auth[role] = f"Bearer {login.json()['token']}"
        yield client, auth
    await engine.dispose()


def _cells(report: dict, month: str = "2026-11") -> dict[str, dict]:
    return {c["group"]: c for c in report["monthly"] if c["month"] == month}


async def test_only_admins_read_the_impact_report(report_client) -> None:  # type: ignore[no-untyped-def]
    client, auth = report_client
    assert (await client.get("/reports/impact")).status_code == 401
    for role in ("learner", "teacher"):
        r = await client.get("/reports/impact", headers={"Authorization": auth[role]})
        assert r.status_code == 403, r.text
    assert (await client.get("/reports/impact", headers={"Authorization": auth["admin"]})).status_code == 200


async def test_by_county_small_cells_hidden_with_their_neighbour_and_counts_rounded(report_client) -> None:  # type: ignore[no-untyped-def]
    client, auth = report_client
    r = await client.get("/reports/impact?months=2", headers={"Authorization": auth["admin"]})
    report = r.json()
    assert report["months"] == ["2026-10", "2026-11"]  # whole months only: December is still running
    cells = _cells(report)
    assert cells["Tartumaa"]["active_learners"] is None  # 4 learners
    assert cells["Pärnumaa"]["active_learners"] is None  # 11, but the only other hidden cell is Tartumaa
    assert cells["Pärnumaa"]["study_minutes"] is None
    assert cells["Ida-Virumaa"]["active_learners"] == 25  # 23 rounded to a multiple of 5
    assert cells["Tallinn"]["active_learners"] == 15
    assert cells["all"]["active_learners"] == 55  # 53
    assert cells["Ida-Virumaa"]["study_minutes"] == 50 * round(23 * 3 / 50)  # 3 answers of 1 minute each
    assert cells["Ida-Virumaa"]["level_gains"] == 10  # 12 of them moved A1 -> A2 in November
    assert cells["Tallinn"]["level_gains"] == 0
    assert not _cells(report, "2026-10")


async def test_by_language_and_where_learners_stand_now(report_client) -> None:  # type: ignore[no-untyped-def]
    client, auth = report_client
    r = await client.get("/reports/impact?by=language&months=1", headers={"Authorization": auth["admin"]})
    cells = _cells(r.json())
    assert cells["ru"]["active_learners"] == 35  # 34 from Ida-Virumaa and Pärnumaa
    assert cells["en"]["active_learners"] is None  # 4 learners
    assert cells["uk"]["active_learners"] is None  # hidden with en: else all - ru - uk gives en
    current = {c["group"]: c for c in r.json()["current"]}
    assert current["ru"]["learners"] == 35
    assert current["ru"]["level_reached"]["A2"] == 10  # the 12 gainers, rounded
    assert current["ru"]["level_reached"]["A1"] == 20  # 22
    assert sum(v or 0 for v in current["ru"]["readiness"].values()) <= 40


async def test_csv_export_has_no_hidden_figure(report_client) -> None:  # type: ignore[no-untyped-def]
    client, auth = report_client
    r = await client.get("/reports/impact?format=csv&months=1", headers={"Authorization": auth["admin"]})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    tartu = [row for row in rows if row["group"] == "Tartumaa" and row["month"] == "2026-11"]
    assert {row["value"] for row in tartu} == {""}
    ida = {
        row["measure"]: row["value"]
        for row in rows
        if row["group"] == "Ida-Virumaa" and row["month"] == "2026-11"
    }
    assert ida["active_learners"] == "25"
