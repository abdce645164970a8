"""Issues 9 and 10: the mock exams the learners will take are assembled from the real content, not only
from the small fixture course. The whole content folder is uploaded to a local object store and a fresh
SQLite database, and the exam service then starts an A2 and a B1 mock exam with every part filled from
exercises of that level and that part's types (a part the content cannot fill would be a 409)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.accounts.service import register
from learning_api.authoring.batch import upload_paths
from learning_api.exams import service
from learning_api.exams.assembly import PART_SOURCES
from learning_api.storage import ObjectStore, open_store
from learning_api.study.bank import published_bank
from models.exam import EXAM_PARTS
from tests.conftest import fresh_database

CONTENT = Path(__file__).resolve().parents[3] / "content"


@pytest.fixture(scope="module")
async def course(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], ObjectStore]]:
    url = fresh_database("sqlite", "realexam", tmp_path_factory)
    engine = create_async_engine(url, poolclass=NullPool)
    db = async_sessionmaker(engine, expire_on_commit=False)
    store = open_store(f"file://{tmp_path_factory.mktemp('objects')}")
    store.ensure_bucket()
    report, _ = await upload_paths(db, store, [CONTENT], publish=True)
    assert report.ok, report.problems[:10]
    yield db, store
    await engine.dispose()


@pytest.mark.parametrize("level", ["A2", "B1"])
async def test_a_mock_exam_is_assembled_from_the_real_content_with_every_part_filled(
    course: tuple[async_sessionmaker[AsyncSession], ObjectStore], level: str
) -> None:
    db, store = course
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    async with db() as session, session.begin():
        email = f"exam-{level.lower()}-{uuid.uuid4().hex[:8]}@example.ee"
        learner = await register(session, email=email, password="hea-parool-123", role="learner")
        exam_id = uuid.uuid4()
        await service.start(session, store, learner.id, exam_id, level, seed=7, now=now)
        _, parts = await service.load(session, learner.id, exam_id)
        bank = await published_bank(session, store)
    items = {entry.item.id: entry.item for entry in bank.entries.values()}
    assert list(parts) == list(EXAM_PARTS)
    for name, part in parts.items():
        source = PART_SOURCES[name]
        chosen = [item_id for group in part.groups for item_id in group]
        assert len(chosen) >= source.minimum, (level, name, chosen)
        assert all(items[i].level == level and items[i].type in source.types for i in chosen), (level, name)
    # the listening part plays dialogues of the level, not only single `listen` sentences
    assert any(items[group[0]].type == "dialogue" for group in parts["listening"].groups), level
