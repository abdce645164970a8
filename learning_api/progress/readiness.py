"""Exam readiness for the learner's target level, from the per-skill ability estimates and their trend."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import anyio
import numpy as np

from learning_api.catalog.levels import DEFAULT_CUTS
from learning_api.db.tables import Ability, AbilitySnapshot
from learning_api.study.memory import BEGINNER_PRIOR
from models.ability import CEFR_LEVELS, SKILLS
from models.readiness import Readiness, assess_readiness

EXAM_LEVELS = ("A2", "B1", "B2", "C1")


UNMEASURED_SE_FACTOR = 1.5


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


def trend(
    snapshots: list[AbilitySnapshot], now_theta: np.ndarray
) -> tuple[list[datetime], np.ndarray] | None:
    """Daily theta rows for the growth estimate; None with under two days of history.

    A skill with no snapshot on a day carries its previous value; before its first snapshot it takes
    that first value (no invented growth), and a skill never snapshotted stays at today's value."""
    days = sorted({s.day for s in snapshots})
    if len(days) < 2:
        return None
    by_day: dict[str, dict[str, float]] = {}
    for snap in sorted(snapshots, key=lambda s: s.day):
        by_day.setdefault(snap.day, {})[snap.skill] = snap.theta
    row = now_theta.copy()
    for k, skill in enumerate(SKILLS):
        row[k] = next((by_day[d][skill] for d in days if skill in by_day[d]), row[k])
    rows, times = [], []
    for day in days:
        for k, skill in enumerate(SKILLS):
            row[k] = by_day[day].get(skill, row[k])
        rows.append(row.copy())
        times.append(datetime.combine(date.fromisoformat(day), time(12), UTC))
    return times, np.array(rows)


SHOWN_DRAWS = 2000  # what the progress screen reports
RANKING_DRAWS = 400  # enough to rank skills for the session mix, at a fifth of the cost


async def assess(
    abilities: list[Ability],
    snapshots: list[AbilitySnapshot],
    target_level: str,
    now: datetime,
    seed: int,
    draws: int = SHOWN_DRAWS,
) -> Readiness:
    """Monte Carlo over the skills' errors, a CPU-bound tenth of a second: run off the event loop."""
    return await anyio.to_thread.run_sync(_assess, abilities, snapshots, target_level, now, seed, draws)


def _assess(
    abilities: list[Ability],
    snapshots: list[AbilitySnapshot],
    target_level: str,
    now: datetime,
    seed: int,
    draws: int,
) -> Readiness:
    theta, se = current(abilities)
    history = trend(snapshots, theta)
    level = CEFR_LEVELS.index(target_level if target_level in EXAM_LEVELS else "A2")
    return assess_readiness(
        theta,
        se,
        level,
        np.asarray(DEFAULT_CUTS),
        np.random.default_rng(seed),
        now,
        history_times=history[0] if history else None,
        history_theta=history[1] if history else None,
        n_draws=draws,
    )
