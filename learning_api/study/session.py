"""Build the daily study session: due reviews (lowest predicted recall first) and new items from the
next lessons of the course, mixed by the session planner in models/, rendered without answers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import numpy as np
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.rendering import render_exercise
from learning_api.db.tables import Ability, LearnerProfile
from learning_api.progress import readiness
from learning_api.storage import ObjectStore
from learning_api.study import planner
from learning_api.study.bank import Bank, published_bank
from learning_api.study.memory import BEGINNER_PRIOR, first_good_interval, good_intervals, recall_now
from learning_api.study.planner import Candidate
from learning_api.study.schemas import SessionItem, SessionOut
from learning_api.study.states import state_rows
from models.ability import p_correct

NEW_ITEMS_AHEAD = 2  # new candidates: the next (this × session size) unseen exercises in course order


def end_of_day(now: datetime, time_zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(time_zone))
    return (local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)).astimezone(
        now.tzinfo
    )


def _upcoming_load(rows: Sequence[Row[Any]], today_ends: datetime, days: int = 7) -> list[int]:
    """Reviews already scheduled on each of the next ``days`` days (day 1 = tomorrow)."""
    load = [0] * days
    for row in rows:
        offset = int((row.due - today_ends).total_seconds() // 86_400)
        if row.due > today_ends and offset < days:
            load[offset] += 1
    return load


def _reviews(rows: Sequence[Row[Any]], until: datetime, now: datetime, bank: Bank) -> list[Candidate]:
    due = [row for row in rows if row.due <= until and row.item_id in bank.entries]  # dropped items stop
    recall, intervals = recall_now(due, now), good_intervals(due, now)
    return [
        Candidate(bank.entries[row.item_id].item, bank.entries[row.item_id].exercise, "review",
                  float(interval), recall=float(r))
        for row, r, interval in zip(due, recall, intervals, strict=True)
    ]  # fmt: skip


def _new_items(bank: Bank, seen: set[str], theta: dict[str, float], limit: int) -> list[Candidate]:
    """The next ``limit`` unseen exercises in course order (a lesson's words come before the exercises
    that use them), with their predicted success: the planner chooses among them."""
    ahead = list(islice((p for i, p in bank.entries.items() if i not in seen), limit))
    first_interval = first_good_interval()
    return [
        Candidate(
            p.item,
            p.exercise,
            "new",
            first_interval,
            predicted_success=float(
                p_correct(theta.get(p.item.skill, BEGINNER_PRIOR[0]), p.item.irt_a, p.item.irt_b)
            ),
        )
        for p in ahead
    ]


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
    bank = await published_bank(session, store)
    rows = await state_rows(session, learner_id)
    today_ends = end_of_day(now, profile.time_zone)
    reviews = _reviews(rows, today_ends, now, bank)
    abilities = list(await session.scalars(select(Ability).where(Ability.learner_id == learner_id)))
    theta = {a.skill: a.theta for a in abilities}
    new = _new_items(bank, {r.item_id for r in rows}, theta, NEW_ITEMS_AHEAD * size)
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
