"""Learners' ratings and error reports on exercises, and the per-lesson view authors work from."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Item, ItemFeedback, Lesson
from learning_api.errors import InvalidInput, NotFound
from learning_api.feedback.schemas import FeedbackIn, FeedbackOut, LessonFeedbackOut
from learning_api.pagination import PageQuery, scalars_page


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


async def lesson_feedback(session: AsyncSession, lesson_id: str, page: PageQuery) -> LessonFeedbackOut:
    if await session.get(Lesson, lesson_id) is None:
        raise NotFound("no such lesson", field="lesson_id")
    of_lesson = ItemFeedback.lesson_id == lesson_id
    is_report = cast(ItemFeedback.kind == "error", Integer)
    rating = case((ItemFeedback.kind == "rating", ItemFeedback.rating))  # NULL otherwise: not counted
    totals = select(func.sum(is_report), func.count(rating), func.avg(rating)).where(of_lesson)
    reports, ratings, mean = (await session.execute(totals)).one()
    rows, next_offset = await scalars_page(
        session,
        select(ItemFeedback).where(of_lesson).order_by(ItemFeedback.created_at.desc(), ItemFeedback.id),
        page,
    )
    return LessonFeedbackOut(
        lesson_id=lesson_id,
        reports=int(reports or 0),
        ratings=int(ratings or 0),
        mean_rating=round(float(mean), 2) if mean is not None else None,
        items=[_out(r) for r in rows],
        limit=page.limit,
        offset=page.offset,
        next_offset=next_offset,
    )
