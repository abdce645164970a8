"""Which exercises are live: those in the currently published version of their lesson.

The items table remembers every exercise ever uploaded; the published lesson version in object storage
is the authority on what learners may be given and may answer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import Exercise
from learning_api.catalog.library import exercises_by_id, load_lesson
from learning_api.db.tables import Item, Lesson
from learning_api.storage import ObjectStore


@dataclass(frozen=True, slots=True)
class Published:
    item: Item
    exercise: Exercise


async def published_exercises(
    session: AsyncSession, store: ObjectStore, item_ids: Collection[str] | None = None
) -> dict[str, Published]:
    """The published exercises among ``item_ids`` (all of them when None), in course order."""
    query = (
        select(Item, Lesson.published_version)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(Lesson.published_version.is_not(None))
        .order_by(Lesson.position, Lesson.id, Item.id)
    )
    if item_ids is not None:
        query = query.where(Item.id.in_(list(item_ids)))
    rows = (await session.execute(query)).all()
    versions = {item.lesson_id: version for item, version in rows}
    documents = await anyio.to_thread.run_sync(
        lambda: {lesson: exercises_by_id(load_lesson(store, lesson, v)) for lesson, v in versions.items()}
    )
    found: dict[str, Published] = {}
    for item, _ in rows:
        exercise = documents[item.lesson_id].get(item.id)
        if exercise is not None:
            found[item.id] = Published(item, exercise)
    return found
