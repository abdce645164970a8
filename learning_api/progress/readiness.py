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
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Ability, AbilitySnapshot
from learning_api.study.memory import BEGINNER_PRIOR
from models.ability import CEFR_LEVELS, SKILLS
from models.exam import EXAM_PARTS
from models.growth import Growth, fit_growth, prior_growth
from models.readiness import Readiness, Speaking, assess_readiness
from models.readiness import skill_gains as closed_skill_gains

if TYPE_CHECKING:
    from learning_api.study.repository import AbilityRow

Abilities = Sequence[Ability] | Sequence["AbilityRow"]  # ORM rows or plain ones: the same attributes

EXAM_LEVELS = ("A2", "B1", "B2", "C1")
UNMEASURED_SE_FACTOR = 1.5


def exam_level(target_level: str) -> str:
    return target_level if target_level in EXAM_LEVELS else "A2"


def unmeasurable_reason(level: str, bank_levels: Collection[str]) -> str | None:
    """None when the bank can measure readiness for ``level``, else the msgid saying why not."""
    return None if level in bank_levels else "The course has no {level} exercises yet."


def current(abilities: Abilities) -> tuple[np.ndarray, np.ndarray]:
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


def speaking_of(abilities: Abilities) -> tuple[float, float] | None:
    """The speaking skill's (theta, se) once scored speaking (a teacher's score, a mock exam's speaking
    part) measured it; None: readiness proxies it from writing and listening."""
    row = next((a for a in abilities if a.skill == "speaking" and a.n_answers > 0), None)
    return None if row is None else (row.theta, row.se)


def measured_parts(abilities: Abilities) -> set[str]:
    """The exam parts whose own skill has evidence (answers, scored tasks, mock exam parts)."""
    return {a.skill for a in abilities if a.n_answers > 0} & set(EXAM_PARTS)


@dataclass(frozen=True)
class Trend:
    times: list[datetime]
    theta: np.ndarray  # (days, skills)
    se: np.ndarray


def trend(
    snapshots: Sequence[tuple[str, str, float, float]], now_theta: np.ndarray, now_se: np.ndarray
) -> Trend | None:
    """Daily theta and se rows for the growth model, from (day, skill, theta, se) snapshots; None with
    under two days of history.

    A skill with no snapshot on a day carries its previous value; before its first snapshot it takes
    that first value (no invented growth), and a skill never snapshotted stays at today's value. Filled
    with array operations: a year of five skills is read on the first /progress after each study."""
    days = sorted({s[0] for s in snapshots})
    if len(days) < 2:
        return None
    place, column = {d: k for k, d in enumerate(days)}, {skill: k for k, skill in enumerate(SKILLS)}
    kept = [s for s in snapshots if s[1] in column]  # a skill no longer kept: its day counts, not its value
    rows = np.fromiter((place[s[0]] for s in kept), dtype=np.intp, count=len(kept))
    cols = np.fromiter((column[s[1]] for s in kept), dtype=np.intp, count=len(kept))
    theta_of = np.fromiter((s[2] for s in kept), dtype=float, count=len(kept))
    se_of = np.fromiter((s[3] for s in kept), dtype=float, count=len(kept))
    seen = np.zeros((len(days), len(SKILLS)), dtype=bool)
    theta, se = np.tile(now_theta, (len(days), 1)), np.tile(now_se, (len(days), 1))
    seen[rows, cols], theta[rows, cols], se[rows, cols] = True, theta_of, se_of
    # each day reads the newest snapshot at or before it, or the first one where there is none yet
    first = np.where(seen.any(axis=0), seen.argmax(axis=0), 0)
    last = np.maximum.accumulate(np.where(seen, np.arange(len(days))[:, None], -1), axis=0)
    source, picked = np.where(last >= 0, last, first), np.arange(len(SKILLS))
    times = [datetime.combine(date.fromisoformat(d), time(12), UTC) for d in days]
    return Trend(times, theta[source, picked], se[source, picked])


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


GROWTH_WINDOW_DAYS = 365
"""The growth fit reads the last year of daily snapshots. The forecast looks months ahead, and a learner's
rate changes over the years (it slows), so the recent year is the evidence that matters; the bound also
keeps the first /progress after a study session as cheap for a learner with years of history as for one
with weeks (the whole history as ORM rows: 25-90 ms CPU at 3,575 snapshots)."""

# The window's size and newest day, asked on every progress request to key the cache: built once (as
# `study.states._DUE_ROWS`), where building it per request cost about a tenth of a millisecond
_SNAPSHOTS = AbilitySnapshot.__table__.c
_WINDOW = select(func.count(), func.max(_SNAPSHOTS.day)).where(
    _SNAPSHOTS.learner_id == bindparam("learner_id"), _SNAPSHOTS.day > bindparam("since")
)


async def growth_for(
    session: AsyncSession, learner_id: uuid.UUID, abilities: Abilities, today: date
) -> Growth:
    """``today``: the learner's local day; the fit reads the snapshots of the window ending there."""
    since = (today - timedelta(days=GROWTH_WINDOW_DAYS)).isoformat()
    mine = (AbilitySnapshot.learner_id == learner_id, AbilitySnapshot.day > since)
    days, newest = (await session.execute(_WINDOW, {"learner_id": learner_id, "since": since})).one()
    version = tuple(sorted((a.skill, a.theta, a.se, a.n_answers, a.updated_at) for a in abilities))
    key = (learner_id, days, newest, version)
    growth = _GROWTH.get(key)
    if growth is not None:
        _GROWTH.move_to_end(key)
        return growth
    columns = (AbilitySnapshot.day, AbilitySnapshot.skill, AbilitySnapshot.theta, AbilitySnapshot.se)
    snapshots = [tuple(row) for row in await session.execute(select(*columns).where(*mine))]
    growth = growth_of(trend(snapshots, *current(abilities)))
    _GROWTH[key] = growth
    if len(_GROWTH) > GROWTH_CACHE_SIZE:
        _GROWTH.popitem(last=False)
    return growth


Numbers = tuple[bytes, bytes, bytes, tuple[int, ...], int, Speaking | None]


def _numbers(abilities: Abilities, target_level: str, cuts: Sequence[float]) -> Numbers:
    """What the readiness of ``abilities`` is computed from, hashable: (theta, se, cuts as raw float64
    bytes, the cuts' shape, the level, speaking). The worker's caches below are keyed by it, not by a
    learner or a version, so a kept result is the one a fresh call would give."""
    theta, se = current(abilities)
    grid = np.asarray(cuts, dtype=float)
    level = CEFR_LEVELS.index(exam_level(target_level))
    return theta.tobytes(), se.tobytes(), grid.tobytes(), grid.shape, level, speaking_of(abilities)


def _array(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=float).copy()


def _decoded(numbers: Numbers) -> tuple[np.ndarray, np.ndarray, int, np.ndarray, Speaking | None]:
    """``numbers`` (`_numbers`) as the closed forms take them: theta, se, level, cuts, speaking."""
    theta, se, cuts, shape, level, speaking = numbers
    return _array(theta), _array(se), level, _array(cuts).reshape(shape), speaking


def assess(
    abilities: Abilities,
    growth: Growth | None,
    target_level: str,
    now: datetime,
    cuts: Sequence[float],
) -> Readiness:
    """Pass probability with its interval, the skill holding it back, and the forecast with its interval;
    ``growth``: the learner's fitted growth (`growth_for`; None: no forecast); ``cuts``: the CEFR cut
    points currently served (calibrated, else the defaults). Only ``now``'s date counts (the forecast
    is in days)."""
    rates = None if growth is None else (growth.rate.tobytes(), growth.rate_sd.tobytes())
    return _assessed(_numbers(abilities, target_level, cuts), rates, now.date())


@lru_cache(maxsize=4096)
def _assessed(numbers: Numbers, rates: tuple[bytes, bytes] | None, day: date) -> Readiness:
    """`assess_readiness` of exactly these numbers, kept per worker (`_numbers`): the forecast's three
    bisections cost the progress screen 2-10 ms of CPU (measured in-process, by learner), and the screen
    is opened again and again with no answer between."""
    theta, se, level, cuts, speaking = _decoded(numbers)
    growth = None if rates is None else Growth(_array(rates[0]), _array(rates[1]))
    at = datetime.combine(day, time(), UTC)
    return assess_readiness(theta, se, level, cuts, at, growth, speaking=speaking)


def skill_gains(abilities: Abilities, target_level: str, cuts: Sequence[float]) -> list[float]:
    """Rise in pass probability per skill (SKILLS order), all the study session reads of the readiness to
    weight its mix: asked on every session, it skips the probability's interval and the expected part
    points the whole assessment computes (issues 8 and 14), and is kept per worker as `assess` is (0.8
    ms of a session's CPU when computed)."""
    return list(_gains(_numbers(abilities, target_level, cuts)))


@lru_cache(maxsize=4096)
def _gains(numbers: Numbers) -> tuple[float, ...]:
    return tuple(closed_skill_gains(*_decoded(numbers)))
