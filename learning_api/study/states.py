"""Lean reads of a learner's memory states for the request path.

The session and the progress screen read many states and change none: plain rows of the columns the
memory model needs (the same attribute names as `ReviewState`), without building ORM objects or
registering them in the session's identity map. Writers (answer intake) lock and load real rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import ReviewState

STATE_COLUMNS = (
    ReviewState.item_id,
    ReviewState.difficulty,
    ReviewState.stability,
    ReviewState.last_review,
    ReviewState.due,
    ReviewState.reps,
    ReviewState.lapses,
)


async def state_rows(session: AsyncSession, learner_id: uuid.UUID) -> Sequence[Row[Any]]:
    """Every memory state of the learner (read-only rows)."""
    return (await session.execute(select(*STATE_COLUMNS).where(ReviewState.learner_id == learner_id))).all()


async def due_counts(session: AsyncSession, learner_id: uuid.UUID, edges: Sequence[datetime]) -> list[int]:
    """How many states fall due before each of the ascending ``edges`` (overdue included), counted by the
    database over the (learner, due) index: a learner with years of history sends back a few numbers,
    not thousands of rows."""
    counts = [func.count().filter(ReviewState.due < edge) for edge in edges]
    row = (
        await session.execute(
            select(*counts).where(ReviewState.learner_id == learner_id, ReviewState.due < edges[-1])
        )
    ).one()
    return [int(n or 0) for n in row]
