"""Build the daily study session: due reviews (lowest predicted recall first) and new items from the
next lessons of the course, mixed by the session planner in models/, rendered without answers."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import anyio
import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import Exercise
from learning_api.catalog.library import load_lesson
from learning_api.catalog.rendering import render_exercise
from learning_api.db.tables import Ability, Item, LearnerProfile, Lesson, ReviewState
from learning_api.progress import readiness
from learning_api.storage import ObjectStore
from learning_api.study import planner
from learning_api.study.memory import BEGINNER_PRIOR, first_good_interval, good_intervals, recall_now
from learning_api.study.planner import Candidate
from learning_api.study.schemas import SessionItem, SessionOut
from models.ability import p_correct

NEW_ITEMS_AHEAD = 2  # new candidates: the next (this × session size) unseen exercises in course order


def end_of_day(now: datetime, time_zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(time_zone))
    return (local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)).astimezone(
        now.tzinfo
    )


async def _published_lessons(session: AsyncSession) -> list[Lesson]:
    return list(
        await session.scalars(
            select(Lesson).where(Lesson.published_version.is_not(None)).order_by(Lesson.position, Lesson.id)
        )
    )


async def _documents(store: ObjectStore, lessons: list[Lesson]) -> dict[str, dict[str, Exercise]]:
    docs = {}
    for lesson in lessons:
        doc = await anyio.to_thread.run_sync(load_lesson, store, lesson.id, lesson.published_version)
        docs[lesson.id] = {e.id: e for e in doc.exercises}
    return docs


def _upcoming_load(rows: list[ReviewState], today_ends: datetime, days: int = 7) -> list[int]:
    """Reviews already scheduled on each of the next ``days`` days (day 1 = tomorrow)."""
    load = [0] * days
    for row in rows:
        offset = int((row.due - today_ends).total_seconds() // 86_400)
        if row.due > today_ends and offset < days:
            load[offset] += 1
    return load


async def _reviews(
    session: AsyncSession,
    rows: list[ReviewState],
    until: datetime,
    now: datetime,
    exercises: dict[str, dict[str, Exercise]],
) -> list[Candidate]:
    due = [row for row in rows if row.due <= until]
    items = {
        i.id: i for i in await session.scalars(select(Item).where(Item.id.in_([r.item_id for r in due])))
    }
    recall, intervals = recall_now(due, now), good_intervals(due, now)
    out = []
    for row, r, interval in zip(due, recall, intervals, strict=True):
        item = items.get(row.item_id)
        exercise = exercises.get(item.lesson_id, {}).get(item.id) if item else None
        if item is not None and exercise is not None:  # items dropped from a lesson stop coming back
            out.append(Candidate(item, exercise, "review", float(interval), recall=float(r)))
    return out


async def _new_items(
    session: AsyncSession,
    lessons: list[Lesson],
    exercises: dict[str, dict[str, Exercise]],
    seen: set[str],
    theta: dict[str, float],
    limit: int,
) -> list[Candidate]:
    """The next ``limit`` unseen exercises in course order (a lesson's words come before the exercises
    that use them), with their predicted success: the planner chooses among them."""
    ahead = [
        (lesson, exercise)
        for lesson in lessons
        for eid, exercise in exercises[lesson.id].items()
        if eid not in seen
    ][:limit]
    items = {
        i.id: i for i in await session.scalars(select(Item).where(Item.id.in_([e.id for _, e in ahead])))
    }
    first_interval = first_good_interval()
    out = []
    for _, exercise in ahead:
        item = items.get(exercise.id)
        if item is not None:
            p = float(p_correct(theta.get(item.skill, BEGINNER_PRIOR[0]), item.irt_a, item.irt_b))
            out.append(Candidate(item, exercise, "new", first_interval, predicted_success=p))
    return out


async def build_session(
    session: AsyncSession,
    store: ObjectStore,
    learner_id: uuid.UUID,
    profile: LearnerProfile,
    now: datetime,
    size: int,
    seed: int,
    media_ttl: timedelta,
) -> SessionOut:
    lessons = await _published_lessons(session)
    exercises = await _documents(store, lessons)
    rows = list(await session.scalars(select(ReviewState).where(ReviewState.learner_id == learner_id)))
    today_ends = end_of_day(now, profile.time_zone)
    reviews = await _reviews(session, rows, today_ends, now, exercises)
    abilities = list(await session.scalars(select(Ability).where(Ability.learner_id == learner_id)))
    theta = {a.skill: a.theta for a in abilities}
    new = await _new_items(
        session, lessons, exercises, {r.item_id for r in rows}, theta, NEW_ITEMS_AHEAD * size
    )
    rng = np.random.default_rng(seed)
    ready = await readiness.assess(abilities, [], profile.target_level, now, seed, readiness.RANKING_DRAWS)
    chosen = planner.plan(
        reviews,
        new,
        size=size,
        weights=planner.skill_weights(ready.skill_gains),
        upcoming_load=_upcoming_load(rows, today_ends),
        rng=rng,
    )
    lang = profile.instruction_language

    def render_all() -> list[SessionItem]:
        return [
            SessionItem(
                item_id=c.item.id,
                lesson_id=c.item.lesson_id,
                kind=c.kind,  # type: ignore[arg-type]
                skill=c.item.skill,
                topic=c.item.topic,
                exercise=render_exercise(c.exercise, lang, store, rng, media_ttl),
                recall=None if c.recall is None else round(c.recall, 4),
                predicted_success=None if c.predicted_success is None else round(c.predicted_success, 4),
            )
            for c in chosen
        ]

    rendered = await anyio.to_thread.run_sync(render_all)
    return SessionOut(
        session_id=uuid.uuid4(),
        generated_at=now,
        language=lang,
        reviews=sum(c.kind == "review" for c in chosen),
        new=sum(c.kind == "new" for c in chosen),
        due_total=len(reviews),
        items=rendered,
    )
