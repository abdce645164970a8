"""The adaptive placement test over the published item bank, one HTTP call per step.

Between calls the test lives in a DB row: the posteriors (plain lists), the item ids given with their
outcomes, and the one item now pending, so an answer for any other item is refused. The bank is
rebuilt from the published items on each call; an item unpublished mid-test simply drops out. Items
carry their calibrated parameters (the served `items` version, else the author's level), the cut
points come from the same version, and the prior is centred on the levels the bank has: the test
starts where it can measure and reports "at least <top level>" above it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import numpy as np
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import COMPREHENSION_TYPES
from learning_api.catalog.levels import LEVELS
from learning_api.catalog.rendering import render_exercise
from learning_api.catalog.schemas import ShownExercise
from learning_api.db.locking import lock_rows
from learning_api.db.study_days import count_answers
from learning_api.db.tables import Answer, PlacementTest
from learning_api.errors import Conflict, InvalidInput, NotFound
from learning_api.kinds import HUMAN_SCORED_TYPES
from learning_api.modelling.params import DEFAULT_PARAMS, CurrentParams
from learning_api.placement.schemas import PlacementOut, PlacementResultOut, SkillResult
from learning_api.storage import ObjectStore
from learning_api.study.grading import Graded, grade_answer
from learning_api.study.published import Published, published_exercises
from learning_api.study.repository import lock_abilities
from models import placement as cat
from models.ability import SKILLS, band_probabilities, eap, prior_log_density

# Items asked in more than a quarter of past tests rest while others of the wanted skills are left.
MAX_EXPOSURE = 0.25
SKIP_PRIOR = (-2.0, 0.7)  # a learner who skips starts at A1: mean in the A1 band, unsure


def _eligible(entry: Published) -> bool:
    """Self-graded flashcards say nothing reliable about level; everything graded by the server does
    (writing and speaking are scored by a person, days later: no placement question). The questions of
    a reading text or a dialogue are left out too: one costs a whole text for one answer, and questions
    about one text are not the independent items the adaptive test's model assumes."""
    exercise = entry.exercise
    return (
        entry.item.skill in SKILLS
        and exercise.type not in HUMAN_SCORED_TYPES
        and exercise.type not in COMPREHENSION_TYPES
        and not (exercise.type == "flashcard" and exercise.direction != "native-et")
    )


class Bank:
    def __init__(self, published: dict[str, Published], params: CurrentParams = DEFAULT_PARAMS) -> None:
        self.entries = {i: p for i, p in published.items() if _eligible(p)}
        if not self.entries:
            raise Conflict("no published exercises yet: the placement test needs a loaded course")
        self.ids = list(self.entries)
        self.index = {item_id: k for k, item_id in enumerate(self.ids)}
        items = [self.entries[i].item for i in self.ids]
        a, b = zip(*(params.item_ab(i.id, i.irt_a, i.irt_b) for i in items), strict=True)
        self.model = cat.ItemBank.from_arrays(
            a, b, [SKILLS.index(i.skill) for i in items], [LEVELS.index(i.level) for i in items]
        )
        self.exposure = np.array([params.exposure.get(i, 0.0) for i in self.ids])
        self.config = config_for(self.model, params.cuts)


def config_for(bank: cat.ItemBank, cuts: tuple[float, ...]) -> cat.PlacementConfig:
    """The prior spans the bands the bank has items for: centred between the lower edge of its lowest
    level and the upper edge of its top one (a band's width beyond the outer cuts), SD half that span."""
    lowest, top = bank.band_range(len(cuts) + 1)
    edges = np.r_[cuts[0] - 1.0, cuts, cuts[-1] + 1.0]
    lower, upper = float(edges[lowest]), float(edges[top + 1])
    return cat.PlacementConfig(
        cuts=cuts,
        prior_mean=(lower + upper) / 2,
        prior_sd=max((upper - lower) / 2, 1.0),
        max_exposure=MAX_EXPOSURE,
    )


async def load_bank(
    session: AsyncSession, store: ObjectStore, params: CurrentParams = DEFAULT_PARAMS
) -> Bank:
    return Bank(await published_exercises(session, store), params)


def _model_state(test: PlacementTest, bank: Bank) -> cat.PlacementState:
    given = [
        (i, c) for i, c in zip(test.state["given"], test.state["correct"], strict=True) if i in bank.index
    ]
    return cat.PlacementState(
        log_post=test.state["log_post"],
        skill_log_post=test.state["skill_log_post"],
        items=[bank.index[i] for i, _ in given],
        correct=[c for _, c in given],
    )


def _save_state(test: PlacementTest, state: cat.PlacementState, bank: Bank, pending: str | None) -> None:
    test.state = {
        "log_post": state.log_post,
        "skill_log_post": state.skill_log_post,
        "given": [bank.ids[k] for k in state.items],
        "correct": state.correct,
        "pending": pending,
    }


def _result_out(result: dict[str, Any]) -> PlacementResultOut:
    return PlacementResultOut(
        level=result["level"],
        at_least=result.get("at_least", False),
        confidence=result["confidence"],
        band_probabilities=result["band_probabilities"],
        theta=result["theta"],
        se=result["se"],
        items=result["items"],
        stop_reason=result.get("stop_reason"),
        skills=[SkillResult(**s) for s in result["skills"]],
    )


def placement_out(test: PlacementTest, next_item: ShownExercise | None = None) -> PlacementOut:
    return PlacementOut(
        id=test.id,
        status=test.status,  # type: ignore[arg-type]
        started_at=test.started_at,
        answered=len(test.state.get("given", [])),
        next=next_item,
        result=_result_out(test.result) if test.result else None,
    )


async def get_test(
    session: AsyncSession, learner_id: uuid.UUID, test_id: uuid.UUID, *, for_update: bool = False
) -> PlacementTest:
    """``for_update``: the caller will move the test on; a concurrent answer to it waits for our commit
    (and then finds its item no longer pending) instead of overwriting our step."""
    mine = (PlacementTest.learner_id == learner_id, PlacementTest.id == test_id)
    if for_update:
        test = next(iter(await lock_rows(session, PlacementTest, *mine)), None)
    else:
        test = await session.get(PlacementTest, (learner_id, test_id))
    if test is None:
        raise NotFound("no such placement test", field="placement_id")
    return test


async def start(
    session: AsyncSession, learner_id: uuid.UUID, now: datetime, config: cat.PlacementConfig | None = None
) -> PlacementTest:
    """A new test; one still running is abandoned (a retake starts from scratch)."""
    await session.execute(
        update(PlacementTest)
        .where(PlacementTest.learner_id == learner_id, PlacementTest.status == "running")
        .values(status="abandoned", finished_at=now)
    )
    prior = cat.start_placement(config or cat.PlacementConfig(), n_skills=len(SKILLS))
    test = PlacementTest(learner_id=learner_id, id=uuid.uuid4(), status="running", started_at=now, result={})
    test.state = {
        "log_post": prior.log_post,
        "skill_log_post": prior.skill_log_post,
        "given": [],
        "correct": [],
        "pending": None,
    }
    session.add(test)
    await session.flush()
    return test


async def next_exercise(
    session: AsyncSession, store: ObjectStore, bank: Bank, test: PlacementTest, lang: str, now: datetime
) -> ShownExercise | None:
    """The pending item (chosen now if none is), or None when the test has ended."""
    if test.status != "running":
        return None
    pending = test.state.get("pending")
    if pending not in bank.index:
        pending = await _advance(session, test, _model_state(test, bank), bank, now)
        if pending is None:
            return None
    exercise = bank.entries[pending].exercise
    rng = np.random.default_rng(test.id.int % 2**63)
    return await anyio.to_thread.run_sync(render_exercise, exercise, lang, store, rng)


async def _advance(
    session: AsyncSession, test: PlacementTest, state: cat.PlacementState, bank: Bank, now: datetime
) -> str | None:
    """The next item, now pending; or the test finished (stopping rule met, or no item left to ask)."""
    rng = np.random.default_rng([test.id.int % 2**63, len(state.items)])
    choice = None
    if cat.stop_reason(state, bank.model, bank.config) is None:
        choice = cat.next_item(state, bank.model, bank.config, rng, bank.exposure)
    pending = None if choice is None else bank.ids[choice]
    _save_state(test, state, bank, pending)
    if pending is None:
        await _finish(session, test, state, bank, now)
    return pending


async def answer(
    session: AsyncSession,
    bank: Bank,
    test: PlacementTest,
    item_id: str,
    response: str,
    latency_ms: int | None,
    lang: str,
    now: datetime,
    zone: ZoneInfo,
) -> Graded:
    """Grade and log the answer and move the test on (its next item chosen, or the test finished);
    ``zone``: the learner's, for the study day it counts on. The day is counted last, after the ability
    rows a finishing test locks: the intake's lock order, so a study upload at the same moment waits
    instead of deadlocking."""
    if test.status != "running":
        raise Conflict("this placement test has ended", field="placement_id")
    if item_id != test.state.get("pending"):
        raise InvalidInput("answer the item this test gave you last (GET …/next)", field="item_id")
    if item_id not in bank.index:
        raise InvalidInput("this item is no longer published: ask for the next one", field="item_id")
    graded = await anyio.to_thread.run_sync(
        lambda: grade_answer(bank.entries[item_id].exercise, response, lang, latency_ms=latency_ms)
    )
    state = cat.record_answer(_model_state(test, bank), bank.model, bank.index[item_id], graded.correct)
    session.add(
        Answer(
            learner_id=test.learner_id, id=uuid.uuid4(), item_id=item_id, answered_at=now, received_at=now,
            response=response, correct=graded.correct, verdict=graded.verdict, grade=graded.grade,
            latency_ms=latency_ms, session_id=test.id, source="placement",
            feedback={"text": graded.feedback, "expected": graded.expected},
        )
    )  # fmt: skip
    await _advance(session, test, state, bank, now)
    await count_answers(session, [(test.learner_id, now, graded.correct)], zone)
    return graded


def _summary(log_post: list[float], bank: cat.ItemBank | None, cuts: tuple[float, ...]) -> dict[str, Any]:
    """Level (the most probable outcome the bank can test: a band up to its top level, or "at least" the
    top level), its probability, every outcome's probability, and theta with its error."""
    full = band_probabilities(log_post, cuts)
    top = len(LEVELS) - 1 if bank is None else bank.band_range(len(LEVELS))[1]
    labels = [*LEVELS[: top + 1], f">{LEVELS[top]}"][: len(LEVELS) if top == len(LEVELS) - 1 else top + 2]
    probabilities = np.r_[full[: top + 1], full[top + 1 :].sum()][: len(labels)]
    decision = int(np.argmax(probabilities))
    estimate = eap(log_post)
    return {
        "level": LEVELS[min(decision, top)],
        "at_least": decision > top,
        "confidence": round(float(probabilities[decision]), 3),
        "band_probabilities": {lvl: round(float(p), 3) for lvl, p in zip(labels, probabilities, strict=True)},
        "theta": round(estimate.theta, 3),
        "se": round(estimate.se, 3),
    }


async def _conclude(
    session: AsyncSession,
    test: PlacementTest,
    overall: list[float],
    per_skill: list[tuple[list[float], int]],
    status: str,
    stop: str | None,
    now: datetime,
    bank: Bank | None = None,
) -> None:
    """Write the result and make it the learner's ability: placement is the newest, broadest evidence,
    so it replaces each skill's posterior."""
    model, cuts = (bank.model, bank.config.cuts) if bank else (None, cat.PlacementConfig().cuts)
    skills = []
    rows = await lock_abilities(session, test.learner_id, SKILLS, now)
    for skill, (log_post, items) in zip(SKILLS, per_skill, strict=True):
        summary = _summary(log_post, model, cuts)
        skills.append({"skill": skill, "level": summary["level"], "at_least": summary["at_least"],
                       "confidence": summary["confidence"], "theta": summary["theta"], "se": summary["se"],
                       "items": items})  # fmt: skip
        row, estimate = rows[skill], eap(log_post)
        row.posterior, row.theta, row.se, row.updated_at = list(log_post), estimate.theta, estimate.se, now
    test.status, test.finished_at = status, now
    test.result = {**_summary(overall, model, cuts), "items": sum(n for _, n in per_skill),
                   "stop_reason": stop, "skills": skills}  # fmt: skip


async def _finish(
    session: AsyncSession, test: PlacementTest, state: cat.PlacementState, bank: Bank, now: datetime
) -> None:
    counts = np.bincount(bank.model.skill[state.items], minlength=len(SKILLS)) if state.items else [0] * 5
    # A skill no item touched takes the overall posterior: one ability, seen through the other skills.
    per_skill = [
        (state.skill_log_post[k] if counts[k] else state.log_post, int(counts[k])) for k in range(len(SKILLS))
    ]
    stop = cat.stop_reason(state, bank.model, bank.config)
    await _conclude(session, test, state.log_post, per_skill, "finished", stop, now, bank)


async def skip(session: AsyncSession, learner_id: uuid.UUID, now: datetime) -> PlacementTest:
    """Start at A1 without a test; the ability estimates begin inside A1, and wide."""
    test = await start(session, learner_id, now)
    prior = prior_log_density(*SKIP_PRIOR).tolist()
    await _conclude(session, test, prior, [(prior, 0)] * len(SKILLS), "skipped", "skipped", now)
    return test


async def latest(session: AsyncSession, learner_id: uuid.UUID) -> PlacementTest | None:
    return await session.scalar(
        select(PlacementTest)
        .where(PlacementTest.learner_id == learner_id)
        .order_by(PlacementTest.started_at.desc())
        .limit(1)
    )
