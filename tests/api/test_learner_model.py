"""The learner model through the HTTP API on real lessons (SQLite, and PostgreSQL when set): ability
from first attempts only, readiness only where the bank can measure it, with intervals; and the memory
and item parameters the batch jobs promote are the ones the request path uses."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import numpy as np
from sqlalchemy import delete, select

from learning_api.db.tables import Ability, LearnerModelParams, ModelKind, ModelParams, ReviewState
from learning_api.modelling import service as versions
from learning_api.study.memory import MemoryParams, apply_review
from models.ability import p_correct
from models.memory import FSRS6_DEFAULT_WEIGHTS, WEIGHT_LOWER, WEIGHT_UPPER
from tests.api.adaptive_fixture import Course, answer, course, headers, study_session, user

__all__ = ["course"]  # the module-scoped fixture
TYPED = [f"a2-31-eile-{k}" for k in (25, 26, 27, 28, 29, 30, 31, 32, 33, 34)]  # cloze and inflect, A2


async def _abilities(course: Course, learner: dict[str, str]) -> dict[str, tuple[float, float, int]]:
    async with course.db() as session:
        rows = await session.scalars(select(Ability).where(Ability.learner_id == uuid.UUID(learner["id"])))
        return {a.skill: (a.theta, a.se, a.n_answers) for a in rows}


async def _progress(course: Course, learner: dict[str, str]) -> dict:  # type: ignore[type-arg]
    r = await course.client.get("/progress", headers=headers(learner))
    assert r.status_code == 200, r.text
    return r.json()["readiness"]


async def test_reviews_are_memory_evidence_and_readiness_stays_within_the_bank(course: Course) -> None:
    learner = await user(course, target_level="B1", instruction_language="uk")
    for item_id in TYPED:  # first attempts: ability evidence
        await answer(course, learner, item_id)
    after_first = await _abilities(course, learner)
    assert after_first["grammar"][2] == len(TYPED) and after_first["grammar"][0] > -2.0
    for day in range(5):  # 90 % right on A2 reviews, day after day
        course.clock.advance(days=1)
        for k, item_id in enumerate(TYPED):
            await answer(course, learner, item_id, right=k != day)
    assert await _abilities(course, learner) == after_first  # memory evidence only
    b1 = await _progress(course, learner)
    assert b1["level"] == "B1" and not b1["measurable"] and b1["probability"] is None
    assert b1["measurable_levels"] == ["A2"] and "B1" in b1["reason"] and "вправ" in b1["reason"]
    patched = await course.client.patch("/me/profile", json={"target_level": "A2"}, headers=headers(learner))
    assert patched.status_code == 200, patched.text
    a2 = await _progress(course, learner)
    assert a2["measurable"] and a2["reason"] is None
    assert 0 <= a2["probability_low"] < a2["probability"] < a2["probability_high"] <= 1
    dates = [a2[k] for k in ("forecast_earliest", "forecast_date", "forecast_latest")]
    known = [date.fromisoformat(d) for d in dates if d is not None]
    assert known == sorted(known) and known[0] >= course.clock.now.date()


async def _state(course: Course, learner: dict[str, str], item_id: str) -> ReviewState:
    async with course.db() as session:
        row = await session.get(ReviewState, (uuid.UUID(learner["id"]), item_id))
        assert row is not None
        return row


async def _review_follows(course: Course, learner: dict[str, str], item_id: str, weights: np.ndarray) -> None:
    before = await _state(course, learner, item_id)
    course.clock.now = before.due + timedelta(hours=1)
    await answer(course, learner, item_id)
    after = await _state(course, learner, item_id)
    expected = apply_review(before, 3, course.clock.now, MemoryParams(weights, exact_time=True))
    default = apply_review(before, 3, course.clock.now)
    assert (after.difficulty, after.stability) == (expected[0], expected[1])
    assert abs(after.stability - default[1]) > 1e-3  # the weights made a difference


async def test_promoted_parameters_schedule_and_predict_on_the_request_path(course: Course) -> None:
    learner = await user(course)
    item_id = TYPED[0]
    rng = np.random.default_rng(5)
    fitted = np.clip(FSRS6_DEFAULT_WEIGHTS * rng.uniform(0.7, 1.4, 21), WEIGHT_LOWER, WEIGHT_UPPER)
    own = np.clip(FSRS6_DEFAULT_WEIGHTS * rng.uniform(0.7, 1.4, 21), WEIGHT_LOWER, WEIGHT_UPPER)
    try:
        async with course.db() as session, session.begin():
            memory = {"weights": fitted.tolist(), "exact_time": True}
            await versions.add_version(session, ModelKind.MEMORY, memory, {}, {}, 100, promote=True,
                                       now=course.clock.now)  # fmt: skip
            await versions.add_version(session, ModelKind.ITEMS, {"items": {TYPED[5]: [1.7, -4.0]}}, {}, {},
                                       100, promote=True, now=course.clock.now)  # fmt: skip
        await answer(course, learner, item_id)
        await _review_follows(course, learner, item_id, fitted)  # the global fit, on exact time as fitted
        async with course.db() as session, session.begin():  # as `models fit` lands own weights: new version
            await versions.add_version(session, ModelKind.MEMORY, memory, {}, {}, 100, promote=True,
                                       now=course.clock.now)  # fmt: skip
            session.add(LearnerModelParams(learner_id=uuid.UUID(learner["id"]), model=ModelKind.MEMORY.value,
                                           version=2, weights=own.tolist(), n_reviews=300))  # fmt: skip
        await _review_follows(course, learner, item_id, own)  # the learner's own fit wins
        beginner = await user(course)
        offered = {i["item_id"]: i for i in (await study_session(course, beginner, 60))["items"]}
        if TYPED[5] in offered:  # the calibrated item is predicted from its calibrated a and b
            expected = float(p_correct(-2.0, 1.7, -4.0))
            assert abs(offered[TYPED[5]]["predicted_success"] - expected) < 0.01
        predictions = [i["predicted_success"] for i in offered.values() if i["kind"] == "new"]
        assert predictions and all(0.0 < p < 1.0 for p in predictions)  # uncalibrated items share a prior
    finally:
        async with course.db() as session, session.begin():
            await session.execute(delete(ModelParams))
            await session.execute(delete(LearnerModelParams))


async def test_progress_reads_the_served_cut_points(course: Course) -> None:
    """The level a learner is shown is the one the session and placement teach at: progress turns theta
    into levels and a pass probability with the cut points the calibration serves, not the defaults."""
    learner = await user(course, target_level="A2")
    for item_id in TYPED:
        await answer(course, learner, item_id)

    async def progress() -> dict:  # type: ignore[type-arg]
        r = await course.client.get("/progress", headers=headers(learner))
        assert r.status_code == 200, r.text
        return r.json()

    before = await progress()
    lower = [-3.5, -2.5, -1.5, -0.5]  # every border a logit or two lower: the same thetas rank higher
    try:
        async with course.db() as session, session.begin():
            await versions.add_version(session, ModelKind.ITEMS, {"items": {}, "cuts": lower}, {}, {}, 100,
                                       promote=True, now=course.clock.now)  # fmt: skip
        after = await progress()
    finally:
        async with course.db() as session, session.begin():
            await session.execute(delete(ModelParams))
    grammar = {s["skill"]: s["level"] for s in before["levels"]}["grammar"]
    assert {s["skill"]: s["level"] for s in after["levels"]}["grammar"] > grammar
    assert after["readiness"]["probability"] > before["readiness"]["probability"]
