"""Exam readiness for the learner's target level, from the per-skill ability estimates and their growth.

Closed forms only (models.readiness, models.growth): no sampling on the request path. Readiness is
claimed only for a level the item bank has exercises of; above the bank's levels no answer in the app can
tell a learner from one just below, so the API says "not measurable yet" and why.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Ability, AbilitySnapshot
from learning_api.study.memory import BEGINNER_PRIOR
from models.ability import CEFR_LEVELS, SKILLS
from models.exam import EXAM_PARTS
from models.growth import Growth, fit_growth, prior_growth
from models.readiness import Readiness, assess_readiness

EXAM_LEVELS = ("A2", "B1", "B2", "C1")
UNMEASURED_SE_FACTOR = 1.5


def exam_level(target_level: str) -> str:
    return target_level if target_level in EXAM_LEVELS else "A2"


def unmeasurable_reason(level: str, bank_levels: Collection[str]) -> str | None:
    """None when the bank can measure readiness for ``level``, else the msgid saying why not."""
    return None if level in bank_levels else "The course has no {level} exercises yet."


def current(abilities: list[Ability]) -> tuple[np.ndarray, np.ndarray]:
    """theta and se per skill in SKILLS order.

    A skill with no answers of its own (the course may have no reading items yet) is estimated from
    the skills that have some, with a wider error: one person's skills move together, and the beginner
    prior would otherwise hold readiness down for a skill the learner cannot even practise."""
    by_skill = {a.skill: a for a in abilities}
    measured = [a for a in abilities if a.n_answers > 0]
    if measured:
        fill = (
            float(np.mean([a.theta for a in measured])),
            UNMEASURED_SE_FACTOR * max(a.se for a in measured),
        )
    else:
        fill = BEGINNER_PRIOR
    theta, se = [], []
    for skill in SKILLS:
        row = by_skill.get(skill)
        own = row is not None and (row.n_answers > 0 or not measured)
        theta.append(row.theta if own else fill[0])
        se.append(row.se if own else fill[1])
    return np.array(theta), np.array(se)


def speaking_of(abilities: list[Ability]) -> tuple[float, float] | None:
    """The speaking skill's (theta, se) once scored speaking (a teacher's score, a mock exam's speaking
    part) measured it; None: readiness proxies it from writing and listening."""
    row = next((a for a in abilities if a.skill == "speaking" and a.n_answers > 0), None)
    return None if row is None else (row.theta, row.se)


def measured_parts(abilities: list[Ability]) -> set[str]:
    """The exam parts whose own skill has evidence (answers, scored tasks, mock exam parts)."""
    return {a.skill for a in abilities if a.n_answers > 0} & set(EXAM_PARTS)


@dataclass(frozen=True)
class Trend:
    times: list[datetime]
    theta: np.ndarray  # (days, skills)
    se: np.ndarray


def trend(snapshots: list[AbilitySnapshot], now_theta: np.ndarray, now_se: np.ndarray) -> Trend | None:
    """Daily theta and se rows for the growth model; None with under two days of history.

    A skill with no snapshot on a day carries its previous value; before its first snapshot it takes
    that first value (no invented growth), and a skill never snapshotted stays at today's value."""
    days = sorted({s.day for s in snapshots})
    if len(days) < 2:
        return None
    by_day: dict[str, dict[str, AbilitySnapshot]] = {}
    for snap in snapshots:
        by_day.setdefault(snap.day, {})[snap.skill] = snap
    theta, se = now_theta.copy(), now_se.copy()
    for k, skill in enumerate(SKILLS):
        first = next((by_day[d][skill] for d in days if skill in by_day[d]), None)
        if first is not None:
            theta[k], se[k] = first.theta, first.se
    thetas, ses, times = [], [], []
    for day in days:
        for k, skill in enumerate(SKILLS):
            snap = by_day[day].get(skill)
            if snap is not None:
                theta[k], se[k] = snap.theta, snap.se
        thetas.append(theta.copy())
        ses.append(se.copy())
        times.append(datetime.combine(date.fromisoformat(day), time(12), UTC))
    return Trend(times, np.array(thetas), np.array(ses))


def growth_of(history: Trend | None) -> Growth:
    if history is None:
        return prior_growth(len(SKILLS))
    days = np.array([(t - history.times[0]).total_seconds() / 86_400 for t in history.times])
    return fit_growth(days, history.theta, history.se)


# The growth model fitted to a learner's daily ability history, per worker: it changes only when an answer,
# a score or a mock exam moves an ability (which writes the day's snapshot in the same transaction), so it
# is kept under the learner's ability version and the shape of their snapshot history, and /progress
# reads the history and fits the model only after such a change.
_GROWTH: OrderedDict[tuple[Any, ...], Growth] = OrderedDict()
GROWTH_CACHE_SIZE = 4096


async def growth_for(session: AsyncSession, learner_id: uuid.UUID, abilities: list[Ability]) -> Growth:
    mine = AbilitySnapshot.learner_id == learner_id
    days, newest = (
        await session.execute(select(func.count(), func.max(AbilitySnapshot.day)).where(mine))
    ).one()
    version = tuple(sorted((a.skill, a.theta, a.se, a.n_answers, a.updated_at) for a in abilities))
    key = (learner_id, days, newest, version)
    growth = _GROWTH.get(key)
    if growth is not None:
        _GROWTH.move_to_end(key)
        return growth
    snapshots = list(await session.scalars(select(AbilitySnapshot).where(mine)))
    growth = growth_of(trend(snapshots, *current(abilities)))
    _GROWTH[key] = growth
    if len(_GROWTH) > GROWTH_CACHE_SIZE:
        _GROWTH.popitem(last=False)
    return growth


def assess(
    abilities: list[Ability],
    growth: Growth,
    target_level: str,
    now: datetime,
    cuts: Sequence[float],
) -> Readiness:
    """Pass probability with its interval, the skill holding it back, and the forecast with its interval;
    ``growth``: the learner's fitted growth (`growth_for`); ``cuts``: the CEFR cut points currently served
    (calibrated, else the defaults)."""
    theta, se = current(abilities)
    level = CEFR_LEVELS.index(exam_level(target_level))
    return assess_readiness(theta, se, level, np.asarray(cuts), now, growth, speaking=speaking_of(abilities))


def skill_ranking(
    abilities: list[Ability], target_level: str, now: datetime, cuts: Sequence[float]
) -> Readiness:
    """Readiness without the forecast: enough to rank the skills for the session mix."""
    theta, se = current(abilities)
    level = CEFR_LEVELS.index(exam_level(target_level))
    return assess_readiness(theta, se, level, np.asarray(cuts), now, speaking=speaking_of(abilities))
