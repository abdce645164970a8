"""Exam readiness for the learner's target level, from the per-skill ability estimates and their trend."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import numpy as np

from learning_api.catalog.levels import DEFAULT_CUTS
from learning_api.db.tables import Ability, AbilitySnapshot
from learning_api.study.memory import BEGINNER_PRIOR
from models.ability import CEFR_LEVELS, SKILLS
from models.readiness import Readiness, assess_readiness

EXAM_LEVELS = ("A2", "B1", "B2", "C1")


def current(abilities: list[Ability]) -> tuple[np.ndarray, np.ndarray]:
    """theta and se per skill in SKILLS order; a skill never measured sits at the beginner prior."""
    by_skill = {a.skill: a for a in abilities}
    theta = np.array([by_skill[s].theta if s in by_skill else BEGINNER_PRIOR[0] for s in SKILLS])
    se = np.array([by_skill[s].se if s in by_skill else BEGINNER_PRIOR[1] for s in SKILLS])
    return theta, se


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


def assess(
    abilities: list[Ability],
    snapshots: list[AbilitySnapshot],
    target_level: str,
    now: datetime,
    seed: int,
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
    )
