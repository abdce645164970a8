"""The readiness a worker keeps (`progress.readiness._assessed`) is the one a fresh computation gives: for
any time of the day, with or without growth, and a changed ability is never served the kept result."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import numpy as np
import pytest

from learning_api.catalog.levels import DEFAULT_CUTS
from learning_api.db.tables import Ability
from learning_api.progress import readiness
from models.ability import SKILLS
from models.growth import Growth
from models.readiness import assess_readiness
from models.readiness import skill_gains as closed_skill_gains

LEARNER = uuid.uuid4()
GROWTH = Growth(np.full(len(SKILLS), 0.004), np.full(len(SKILLS), 0.002))


def _abilities(theta: float) -> list[Ability]:
    return [
        Ability(learner_id=LEARNER, skill=skill, theta=theta + 0.1 * k, se=0.3, n_answers=30, posterior=[])
        for k, skill in enumerate(SKILLS)
    ]


def _fresh(abilities: list[Ability], growth: Growth | None, now: datetime) -> object:
    theta, se = readiness.current(abilities)
    level = readiness.CEFR_LEVELS.index("B1")
    speaking = readiness.speaking_of(abilities)
    return assess_readiness(theta, se, level, np.asarray(DEFAULT_CUTS), now, growth, speaking=speaking)


@pytest.mark.parametrize("growth", [GROWTH, None])
@pytest.mark.parametrize("hour", [0, 12, 23])
def test_a_kept_readiness_is_the_fresh_one(growth: Growth | None, hour: int) -> None:
    abilities = _abilities(-0.5)
    now = datetime(2026, 12, 2, hour, 59, tzinfo=UTC)
    first = readiness.assess(abilities, growth, "B1", now, DEFAULT_CUTS)
    again = readiness.assess(abilities, growth, "B1", now, DEFAULT_CUTS)
    assert again is first  # kept
    assert first == _fresh(abilities, growth, now)
    if growth is not None:
        assert first.forecast_date is not None and first.forecast_date > now.date()


def test_a_moved_ability_or_another_day_is_computed_again() -> None:
    abilities, now = _abilities(-0.5), datetime(2026, 12, 2, 9, tzinfo=UTC)
    kept = readiness.assess(abilities, GROWTH, "B1", now, DEFAULT_CUTS)
    moved = [replace_theta(a, a.theta + 0.2) if a.skill == "reading" else a for a in abilities]
    after = readiness.assess(moved, GROWTH, "B1", now, DEFAULT_CUTS)
    assert after.probability > kept.probability and after == _fresh(moved, GROWTH, now)
    tomorrow = now.replace(day=3)
    later = readiness.assess(abilities, GROWTH, "B1", tomorrow, DEFAULT_CUTS)
    assert later == _fresh(abilities, GROWTH, tomorrow) and later.forecast_date != kept.forecast_date


def replace_theta(ability: Ability, theta: float) -> Ability:
    return Ability(
        learner_id=ability.learner_id, skill=ability.skill, theta=theta, se=ability.se,
        n_answers=ability.n_answers, posterior=[],
    )  # fmt: skip


def test_kept_skill_gains_are_the_fresh_ones_and_a_copy() -> None:
    abilities = _abilities(-0.2)
    theta, se = readiness.current(abilities)
    level = readiness.CEFR_LEVELS.index("B1")
    fresh = closed_skill_gains(theta, se, level, np.asarray(DEFAULT_CUTS), None)
    first = readiness.skill_gains(abilities, "B1", DEFAULT_CUTS)
    first[0] = 99.0  # the caller's own list: the kept one is not changed
    assert readiness.skill_gains(abilities, "B1", DEFAULT_CUTS) == fresh
    moved = [replace_theta(a, a.theta + 0.3) for a in abilities]
    assert readiness.skill_gains(moved, "B1", DEFAULT_CUTS) != fresh
