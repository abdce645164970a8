"""Learners' ratings and error reports on exercises, and the per-lesson view authors work from."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Item, ItemFeedback, Lesson
from learning_api.errors import InvalidInput, NotFound
from learning_api.feedback.schemas import FeedbackIn, FeedbackOut, LessonFeedbackOut


def _out(row: ItemFeedback) -> FeedbackOut:
    return FeedbackOut(
        id=row.id,
        item_id=row.item_id,
        lesson_id=row.lesson_id,
        kind=row.kind,
        rating=row.rating,
        message=row.message,
        created_at=row.created_at,
    )


async def give_feedback(
    session: AsyncSession, learner_id: uuid.UUID, item_id: str, data: FeedbackIn, now: datetime
) -> FeedbackOut:
    item = await session.get(Item, item_id)
    if item is None:
        raise NotFound("no such item", field="item_id")
    if data.kind == "rating" and data.rating is None:
        raise InvalidInput("a rating needs a value from 1 to 5", field="rating")
    if data.kind == "error" and not data.message.strip():
        raise InvalidInput("say what is wrong in the exercise", field="message")
    row = ItemFeedback(
        learner_id=learner_id,
        id=uuid.uuid4(),
        item_id=item.id,
        lesson_id=item.lesson_id,
        kind=data.kind,
        rating=data.rating if data.kind == "rating" else None,
        message=data.message.strip(),
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return _out(row)


async def lesson_feedback(session: AsyncSession, lesson_id: str) -> LessonFeedbackOut:
    if await session.get(Lesson, lesson_id) is None:
        raise NotFound("no such lesson", field="lesson_id")
    rows = list(
        await session.scalars(
            select(ItemFeedback)
            .where(ItemFeedback.lesson_id == lesson_id)
            .order_by(ItemFeedback.created_at.desc())
        )
    )
    ratings = [r.rating for r in rows if r.kind == "rating" and r.rating is not None]
    return LessonFeedbackOut(
        lesson_id=lesson_id,
        reports=sum(r.kind == "error" for r in rows),
        ratings=len(ratings),
        mean_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
        items=[_out(r) for r in rows],
    )
