"""The small indexed reads the study rules need beyond a learner's due queue: the members' states of item
families, the teacher's open assignments, and the review load of the coming days."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Answer, Assignment, ClassMember, ExerciseSet, ReviewState
from learning_api.study.states import item_among


async def family_members(
    session: AsyncSession, learner_id: uuid.UUID, members: Mapping[str, Collection[str]]
) -> dict[str, list[ReviewState]]:
    """Per family, the learner's states of its members, for the given families and their member item ids
    (the worker's bank knows them: no scan of the items table). One read over the review states' primary
    key."""
    family_of = {item_id: key for key, ids in members.items() for item_id in ids}
    if not family_of:
        return {}
    rows = await session.scalars(
        select(ReviewState).where(ReviewState.learner_id == learner_id, item_among(session, family_of))
    )
    out: dict[str, list[ReviewState]] = {}
    for state in rows:
        out.setdefault(family_of[state.item_id], []).append(state)
    return out


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
