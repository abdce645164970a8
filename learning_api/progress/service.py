"""A learner's progress, read from the study days (answers per local day), the memory states and the
ability estimates."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Integer, Select, bindparam, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.levels import LEVELS
from learning_api.db.base import UTCDateTime
from learning_api.db.locking import dialect_name
from learning_api.db.tables import (
    AbilitySnapshot,
    LearnerProfile,
    ReviewState,
    StudyDay,
)
from learning_api.progress.course import CourseFacts, LemmaIndex, LessonOrder
from learning_api.progress.readiness import Abilities
from learning_api.progress.schemas import DueDay, HistoryDay, HistoryOut, SkillLevel
from learning_api.study.memory import prior_posterior
from learning_api.study.states import due_before, edge_parameters, joined, split_ids
from models import ability as irt

STREAK_LOOKBACK_DAYS = 400


def skill_levels(abilities: Abilities, cuts: tuple[float, ...]) -> list[SkillLevel]:
    out = []
    for row in sorted(abilities, key=lambda a: irt.SKILLS.index(a.skill) if a.skill in irt.SKILLS else 99):
        probabilities = irt.band_probabilities(np.asarray(row.posterior or prior_posterior()), cuts)
        band = int(np.argmax(probabilities))
        out.append(
            SkillLevel(
                skill=row.skill,
                level=LEVELS[band],
                confidence=round(float(probabilities[band]), 3),
                theta=round(row.theta, 3),
                se=round(row.se, 3),
                answers=row.n_answers,
            )
        )
    return out


@dataclass(frozen=True)
class StateFacts:
    """What progress reads of the memory states, in one statement (`state_facts`)."""

    met: np.ndarray  # the places (`CourseFacts.places`) of the items met
    recalled: np.ndarray  # of those recalled now with R >= 0.9
    below: list[int]  # states due before each of the edges asked for (overdue included)


async def state_facts(
    session: AsyncSession,
    learner_id: uuid.UUID,
    now: datetime,
    course: CourseFacts,
    edges: Sequence[datetime],
) -> StateFacts:
    """The met items, those recalled now, and how many states fall due before each ascending edge: one
    pass over the learner's states, one row back (the due counts were a second round trip over the same
    rows). Each met id is looked up once.

    Under the default memory model R >= 0.9 exactly while the whole days since the last review are at
    most the stability (R(S) = 0.9 by the curve's definition), so the database splits the met ids into
    the recalled and the others."""
    parameters: dict[str, Any] = {"learner_id": learner_id, "now": now, **edge_parameters(edges)}
    row = (await session.execute(_state_facts_query(dialect_name(session), len(edges)), parameters)).one()
    recalled, others = (course.places(split_ids(part)) for part in row[:2])
    return StateFacts(np.concatenate([recalled, others]), recalled, [int(n or 0) for n in row[2:]])


@lru_cache(maxsize=8)
def _state_facts_query(dialect: str, edges: int) -> Select[Any]:
    """`state_facts`' read, made once per dialect and number of edges with every value a parameter: built
    per request, the statement and its cache key cost a fifth of a millisecond (`study.states._DUE_ROWS`)."""
    table = ReviewState.__table__.c
    at = bindparam("now", type_=UTCDateTime())
    if dialect == "postgresql":  # date_part's float8, not extract's numeric: a third of the time per row
        elapsed = func.floor(func.date_part("epoch", at - table.last_review) / 86_400)
    else:  # whole days; a truncation is the floor for the non-negative spans that matter here
        elapsed = cast(func.julianday(at) - func.julianday(table.last_review), Integer)
    ids = joined(dialect, table.item_id)
    recall = elapsed <= table.stability
    counts, _ = due_before(table.due, edges)  # over every state: the met ids need them all anyway
    return select(ids.filter(recall), ids.filter(recall.is_not(True)), *counts).where(
        table.learner_id == bindparam("learner_id")
    )


def words_known(met: np.ndarray, recalled: np.ndarray, lemmas: LemmaIndex) -> tuple[int, int]:
    """(known, seen) lemmas: a lemma is known when some item practising it is recalled with R ≥ 0.9;
    the lemmas come from the worker's course cache."""
    return lemmas.distinct(recalled), lemmas.distinct(met)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def day_edges(now: datetime, zone: ZoneInfo) -> list[datetime]:
    """The ends of today and of each of the next seven local days: the review load's edges."""
    today = local_day(now, zone)
    return [datetime.combine(today + timedelta(days=k + 1), time.min, zone) for k in range(8)]


def review_load(below: Sequence[int], today: date) -> tuple[int, list[DueDay]]:
    """Reviews due by the end of today (overdue included), and per day for the next seven days, from the
    states due before each of `day_edges`."""
    days = [DueDay(day=today + timedelta(days=k), reviews=below[k] - below[k - 1]) for k in range(1, 8)]
    return below[0], days


async def study_record(
    session: AsyncSession, learner_id: uuid.UUID, now: datetime, zone: ZoneInfo
) -> tuple[set[date], int]:
    """The learner's study days of the last STREAK_LOOKBACK_DAYS and their answers ever, from the study
    days (`StudyDay`: one row per day, whatever the number of answers; the answers summed, not counted
    over the answer log), in one row: the days joined by the database (`joined`; a year of rows cost a
    long history's progress screen half a millisecond of row building)."""
    since = (local_day(now, zone) - timedelta(days=STREAK_LOOKBACK_DAYS)).isoformat()
    parameters = {"learner_id": learner_id, "since": since}
    days, total = (await session.execute(_study_record_query(dialect_name(session)), parameters)).one()
    return {date.fromisoformat(day) for day in split_ids(days)}, int(total or 0)


@lru_cache(maxsize=4)
def _study_record_query(dialect: str) -> Select[Any]:
    """`study_record`'s read, made once per dialect (see `_state_facts_query`)."""
    table = StudyDay.__table__.c
    recent = table.day >= bindparam("since")
    return select(joined(dialect, table.day).filter(recent), func.sum(table.answers)).where(
        table.learner_id == bindparam("learner_id")
    )


def streak(days: set[date], today: date) -> int:
    """Consecutive study days ending today, or yesterday when today's study is still to come."""
    start = today if today in days else today - timedelta(days=1)
    count = 0
    while start - timedelta(days=count) in days:
        count += 1
    return count


async def history(
    session: AsyncSession, learner_id: uuid.UUID, profile: LearnerProfile, days: int, now: datetime
) -> HistoryOut:
    """Answers, right answers and ability per local day, from the day ``days`` days ago to today: read
    from the study days and the ability snapshots, both kept per local day as answers land."""
    since = (local_day(now, ZoneInfo(profile.time_zone)) - timedelta(days=days)).isoformat()
    counts = {
        date.fromisoformat(day): (n, right)
        for day, n, right in await session.execute(
            select(StudyDay.day, StudyDay.answers, StudyDay.correct).where(
                StudyDay.learner_id == learner_id, StudyDay.day >= since
            )
        )
    }
    thetas: dict[date, dict[str, float]] = defaultdict(dict)
    snapshots = await session.scalars(
        select(AbilitySnapshot).where(AbilitySnapshot.learner_id == learner_id, AbilitySnapshot.day >= since)
    )
    for snap in snapshots:
        thetas[date.fromisoformat(snap.day)][snap.skill] = round(snap.theta, 3)
    return HistoryOut(
        days=[
            HistoryDay(
                day=d,
                answers=counts.get(d, (0, 0))[0],
                correct=counts.get(d, (0, 0))[1],
                thetas=thetas.get(d, {}),
            )
            for d in sorted(set(counts) | set(thetas))
        ]
    )


def next_lesson(lessons: LessonOrder, met: np.ndarray, lang: str) -> str | None:
    """Title of the first published lesson (in course order) with studied items the learner has not met."""
    title = lessons.first_unfinished(met)
    return None if title is None else title.get(lang) or title.get("et")
