"""Learners' activity from the answer log in grouped queries (one row per learner, never one query per
learner): the class report and the counsellor's list read the same figures the same way."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.dates import utc_day
from learning_api.db.tables import Answer


async def answer_counts(
    session: AsyncSession, learner_ids: Collection[uuid.UUID], since: datetime, until: datetime | None = None
) -> dict[uuid.UUID, tuple[int, int]]:
    """learner → (answers, right answers) answered in [since, until)."""
    query = select(Answer.learner_id, func.count(), func.sum(cast(Answer.correct, Integer))).where(
        Answer.learner_id.in_(learner_ids), Answer.answered_at >= since
    )
    if until is not None:
        query = query.where(Answer.answered_at < until)
    rows = await session.execute(query.group_by(Answer.learner_id))
    return {learner: (int(n), int(right or 0)) for learner, n, right in rows}


async def last_answer_times(
    session: AsyncSession, learner_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, datetime]:
    rows = await session.execute(
        select(Answer.learner_id, func.max(Answer.answered_at))
        .where(Answer.learner_id.in_(learner_ids))
        .group_by(Answer.learner_id)
    )
    return {learner: at for learner, at in rows}


async def answers_per_day(
    session: AsyncSession, learners: Collection[uuid.UUID] | Any, since: datetime
) -> dict[str, int]:
    """UTC day (YYYY-MM-DD) → answers of ``learners`` (ids or a subquery of them) since ``since``."""
    day = utc_day(Answer.answered_at, session.bind.dialect.name)
    rows = await session.execute(
        select(day, func.count())
        .where(Answer.learner_id.in_(learners), Answer.answered_at >= since)
        .group_by(day)
        .order_by(day)
    )
    return {d: int(n) for d, n in rows}
