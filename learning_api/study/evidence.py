"""The small indexed reads the study rules need beyond a learner's due queue: the memory of item
families, the teacher's open assignments, and the review load of the coming days."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Answer, Assignment, ClassMember, ExerciseSet, Item, ReviewState
from learning_api.study.selection import family


async def family_members(session: AsyncSession, families: Collection[str]) -> dict[str, list[str]]:
    """Item ids per family (first lemma), for the given families. Reads the item bank's (id, lemmas)
    pairs: a reference table, the same for every learner."""
    if not families:
        return {}
    members: dict[str, list[str]] = {}
    for item_id, lemmas in await session.execute(select(Item.id, Item.lemmas)):
        key = lemmas[0] if lemmas else None
        if key in families:
            members.setdefault(key, []).append(item_id)
    return members


async def family_states(
    session: AsyncSession, learner_id: uuid.UUID, families: Collection[str]
) -> list[tuple[ReviewState, Item]]:
    """The learner's memory states of every item in these families, with their items."""
    members = await family_members(session, families)
    ids = [i for group in members.values() for i in group]
    if not ids:
        return []
    rows = await session.execute(
        select(ReviewState, Item)
        .join(Item, Item.id == ReviewState.item_id)
        .where(ReviewState.learner_id == learner_id, ReviewState.item_id.in_(ids))
    )
    return [(state, item) for state, item in rows.all() if family(item) is not None]


async def open_assignment_items(session: AsyncSession, learner_id: uuid.UUID, now: datetime) -> list[str]:
    """Items of the learner's assignments not answered since they were assigned, soonest due first."""
    rows = (
        await session.execute(
            select(Assignment.created_at, ExerciseSet.item_ids)
            .join(ExerciseSet, ExerciseSet.id == Assignment.set_id)
            .join(ClassMember, ClassMember.class_id == Assignment.class_id)
            .where(ClassMember.learner_id == learner_id, Assignment.created_at <= now)
            .order_by(Assignment.due_at)
        )
    ).all()
    wanted = {i for _, ids in rows for i in ids}
    if not wanted:
        return []
    last = dict(
        (
            await session.execute(
                select(Answer.item_id, func.max(Answer.answered_at))
                .where(Answer.learner_id == learner_id, Answer.item_id.in_(wanted))
                .group_by(Answer.item_id)
            )
        ).all()
    )
    out: list[str] = []
    for created, ids in rows:
        out += [i for i in ids if i not in out and (last.get(i) is None or last[i] < created)]
    return out


async def dues_between(
    session: AsyncSession, learner_id: uuid.UUID, start: datetime, days: int
) -> dict[str, datetime]:
    """Due dates of the learner's items due in ``days`` days after ``start`` (index on learner, due)."""
    rows = await session.execute(
        select(ReviewState.item_id, ReviewState.due).where(
            ReviewState.learner_id == learner_id,
            ReviewState.due > start,
            ReviewState.due <= start + timedelta(days=days),
        )
    )
    return dict(rows.all())
