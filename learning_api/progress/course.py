"""What the progress screen needs of the course, held once per worker: the levels and skills the published
course has exercises of, and every item's lemmas (words known are counted over them).

All three change only when lessons are published, rolled back or unpublished, and every such change moves
the lessons table's one-row signature (`study.bank.lessons_signature`): one small read per request
replaces two DISTINCT scans of the items table and a join of every memory state to its item.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Item, Lesson
from learning_api.study.bank import lessons_signature


@dataclass(frozen=True)
class CourseFacts:
    signature: tuple[Any, ...]
    levels: frozenset[str]  # CEFR levels the published course has exercises of (readiness is measurable)
    skills: frozenset[str]  # skills the published course has exercises for
    lemmas: dict[str, tuple[str, ...]]  # every item ever uploaded -> its lemmas


_CACHE: weakref.WeakKeyDictionary[Any, CourseFacts] = weakref.WeakKeyDictionary()  # per engine


async def course_facts(session: AsyncSession) -> CourseFacts:
    engine = session.get_bind()
    signature = await lessons_signature(session)
    cached = _CACHE.get(engine)
    if cached is not None and cached.signature == signature:
        return cached
    live = (
        select(Item.level, Item.skill)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(Lesson.published_version.is_not(None), Item.removed_in_version.is_(None))
        .distinct()
    )
    pairs = (await session.execute(live)).all()
    lemmas = {
        item_id: tuple(words or ()) for item_id, words in await session.execute(select(Item.id, Item.lemmas))
    }
    facts = CourseFacts(
        signature, frozenset(level for level, _ in pairs), frozenset(skill for _, skill in pairs), lemmas
    )
    _CACHE[engine] = facts
    return facts
