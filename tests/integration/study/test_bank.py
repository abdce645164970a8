"""The worker's cached item bank follows publishing at once: a lesson published, rolled back or hidden
changes what the next request sees, while an unchanged catalog is served without rebuilding."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.authoring.publishing import unpublish
from learning_api.settings import Settings
from learning_api.storage import open_store
from learning_api.study.bank import published_bank
from tests.conftest import published_lesson


async def test_bank_is_rebuilt_only_when_the_lessons_change(
    db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    store = open_store(settings.object_store_url)
    store.ensure_bucket()
    async with db() as session:
        before = await published_bank(session, store)
    exercises = await published_lesson(db, settings, tmp_path)
    frozen = gc.get_freeze_count()
    async with db() as session:
        after = await published_bank(session, store)
    assert gc.get_freeze_count() > frozen  # the new bank is out of the collector's sight (learning_api.heap)
    async with db() as session:
        again = await published_bank(session, store)
    assert again is after  # unchanged catalog: the same object, nothing re-read
    assert after is not before and set(exercises) <= set(after.entries)
    assert set(after.select(list(exercises)[:2])) == set(list(exercises)[:2])
    entry = after.entries[next(iter(exercises))]
    assert entry.exercise == exercises[entry.item.id]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.item.skill = "writing"  # type: ignore[misc]

    lesson_id = entry.item.lesson_id
    async with db() as session, session.begin():
        await unpublish(session, lesson_id)
    async with db() as session:
        hidden = await published_bank(session, store)
    assert not set(exercises) & set(hidden.entries)
    assert lesson_id not in hidden.lessons
