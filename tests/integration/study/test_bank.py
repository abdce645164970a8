"""The worker's cached item bank follows publishing at once: a lesson published, rolled back or hidden
changes what the next request sees, while an unchanged catalog is served without rebuilding."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.authoring.publishing import unpublish
from learning_api.settings import Settings
from learning_api.storage import open_store
from learning_api.study import bank
from learning_api.study.bank import lessons_signature, published_bank
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


async def test_the_lessons_signature_is_read_at_most_once_a_second_unless_this_process_writes_one(
    db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads within `SIGNATURE_SECONDS` reuse the last one; a lesson this process writes is seen at once;
    one written behind the worker's back (another process: here a plain SQL update, which no mapper
    event sees) is seen once the interval has passed."""
    signatures: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        if "lessons" in statement and "count(" in statement:
            signatures.append(statement)

    monkeypatch.setattr(bank, "SIGNATURE_SECONDS", 3600.0)
    exercises = await published_lesson(db, settings, tmp_path)
    engine = db.kw["bind"].sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        async with db() as session:
            first = await lessons_signature(session)
            assert await lessons_signature(session) == first and len(signatures) == 1
            entries = (await published_bank(session, open_store(settings.object_store_url))).entries
        lesson = entries[next(iter(exercises))].item.lesson_id
        async with db() as session, session.begin():
            await unpublish(session, lesson)  # written here: the next read goes to the database
        async with db() as session:
            unpublished = await lessons_signature(session)
        assert unpublished != first and len(signatures) == 2
        async with db() as session, session.begin():
            await session.execute(
                text("UPDATE lessons SET published_version = 1 WHERE id = :id"), {"id": lesson}
            )
        async with db() as session:
            assert await lessons_signature(session) == unpublished  # not yet: trusted for the interval
            monkeypatch.setattr(bank, "SIGNATURE_SECONDS", 0.0)
            assert await lessons_signature(session) != unpublished and len(signatures) == 3
    finally:
        event.remove(engine, "before_cursor_execute", count)
