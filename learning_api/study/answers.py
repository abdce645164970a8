"""Answer intake: one answer or an offline batch, idempotent by the client's id, applied in answered-at
order; each accepted answer is graded, logged, and moves the memory state and the ability estimate in
the same transaction. Bad answers are refused one by one with a reason; the rest are kept."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import anyio
import msgspec
from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import Exercise
from learning_api.db.tables import Ability, AbilitySnapshot, Answer, ReviewState
from learning_api.i18n import translator
from learning_api.storage import ObjectStore
from learning_api.study.grading import Graded, NeedsSelfGrade, grade_answer
from learning_api.study.memory import answer_weight, guess_floor, prior_posterior, update_ability
from learning_api.study.published import Published, published_exercises
from learning_api.study.scheduling import Scheduler
from learning_api.study.schemas import AnswerIn, AnswerResult

CLOCK_SKEW = timedelta(minutes=5)


def _result(
    answer: Answer, status: Literal["accepted", "duplicate"], next_due: datetime | None = None
) -> AnswerResult:
    """What the client is told about a logged answer: the same for the first upload and any replay."""
    feedback = answer.feedback or {}
    return AnswerResult(
        id=answer.id,
        item_id=answer.item_id,
        status=status,
        next_due=next_due,
        verdict=answer.verdict,
        correct=answer.correct,
        grade=answer.grade,
        feedback=feedback.get("text"),
        expected=feedback.get("expected"),
        details=feedback.get("details") or None,
    )


def _rejected(answer: AnswerIn, reason: str, field: str, lang: str) -> AnswerResult:
    """``reason`` is a msgid: the learner reads it in their language."""
    return AnswerResult(
        id=answer.id, item_id=answer.item_id, status="rejected", reason=translator(lang)(reason), field=field
    )


async def record_answers(
    session: AsyncSession,
    store: ObjectStore,
    learner_id: uuid.UUID,
    lang: str,
    answers: list[AnswerIn],
    now: datetime,
    time_zone: str = "Europe/Tallinn",
) -> list[AnswerResult]:
    results: dict[int, AnswerResult] = {}
    ids = [a.id for a in answers]
    stored = {
        row.id: row
        for row in await session.scalars(
            select(Answer).where(Answer.learner_id == learner_id, Answer.id.in_(ids))
        )
    }
    published = await published_exercises(session, store, {a.item_id for a in answers})
    first_index: dict[uuid.UUID, int] = {}
    repeats: dict[int, int] = {}
    todo: list[tuple[int, AnswerIn, Published]] = []
    for index, answer in enumerate(answers):
        if answer.id in stored:
            results[index] = _result(stored[answer.id], "duplicate")
        elif answer.id in first_index:
            repeats[index] = first_index[answer.id]
        elif answer.item_id not in published:
            results[index] = _rejected(
                answer, "This exercise is unknown or no longer published.", "item_id", lang
            )
        elif answer.answered_at > now + CLOCK_SKEW:
            results[index] = _rejected(answer, "The answer time lies in the future.", "answered_at", lang)
        else:
            todo.append((index, answer, published[answer.item_id]))
        first_index.setdefault(answer.id, index)

    todo.sort(key=lambda entry: entry[1].answered_at)
    graded = await anyio.to_thread.run_sync(_grade_all, [(a, p.exercise) for _, a, p in todo], lang)
    state_rows = await _review_rows(session, learner_id, {p.item.id for _, _, p in todo})
    ability_rows = await _ability_rows(session, learner_id, {p.item.skill for _, _, p in todo})
    scheduler = await Scheduler.load(session, learner_id, [p.item for _, _, p in todo], now)
    for (index, answer, entry), outcome in zip(todo, graded, strict=True):
        if isinstance(outcome, str):
            results[index] = _rejected(answer, outcome, "self_grade", lang)
            continue
        results[index] = _apply(
            session, learner_id, answer, entry, outcome, state_rows, ability_rows, scheduler, now
        )
    await _snapshot_abilities(session, learner_id, ability_rows, now.astimezone(ZoneInfo(time_zone)).date())
    for index, first in repeats.items():  # the same id twice in one batch: the first one counts
        kept = results[first]
        results[index] = (
            msgspec.structs.replace(kept, status="duplicate") if kept.status == "accepted" else kept
        )
    await session.flush()
    return [results[i] for i in range(len(answers))]


def _grade_all(pairs: list[tuple[AnswerIn, Exercise]], lang: str) -> list[Graded | str]:
    out: list[Graded | str] = []
    for answer, exercise in pairs:
        try:
            out.append(
                grade_answer(
                    exercise,
                    answer.response,
                    lang,
                    latency_ms=answer.latency_ms,
                    hinted=answer.hinted,
                    self_grade=answer.self_grade,
                )
            )
        except NeedsSelfGrade as exc:
            out.append(str(exc))
    return out


async def _review_rows(
    session: AsyncSession, learner_id: uuid.UUID, item_ids: set[str]
) -> dict[str, ReviewState]:
    rows = await session.scalars(
        select(ReviewState).where(
            tuple_(ReviewState.learner_id, ReviewState.item_id).in_([(learner_id, i) for i in item_ids])
        )
        if item_ids
        else select(ReviewState).where(ReviewState.learner_id.is_(None))
    )
    return {row.item_id: row for row in rows}


async def _ability_rows(session: AsyncSession, learner_id: uuid.UUID, skills: set[str]) -> dict[str, Ability]:
    rows = {
        row.skill: row
        for row in await session.scalars(
            select(Ability).where(Ability.learner_id == learner_id, Ability.skill.in_(skills))
        )
    }
    for skill in skills - set(rows):
        rows[skill] = Ability(
            learner_id=learner_id, skill=skill, theta=0.0, se=1.0, n_answers=0, posterior=prior_posterior()
        )
        session.add(rows[skill])
    return rows


async def _snapshot_abilities(
    session: AsyncSession, learner_id: uuid.UUID, rows: dict[str, Ability], day: date
) -> None:
    """One snapshot per skill and local day (the last of the day wins): the trend readiness forecasts from."""
    for skill, row in rows.items():
        key = (learner_id, day.isoformat(), skill)
        snapshot = await session.get(AbilitySnapshot, key)
        if snapshot is None:
            session.add(
                AbilitySnapshot(learner_id=learner_id, day=key[1], skill=skill, theta=row.theta, se=row.se)
            )
        else:
            snapshot.theta, snapshot.se = row.theta, row.se


def _apply(
    session: AsyncSession,
    learner_id: uuid.UUID,
    answer: AnswerIn,
    entry: Published,
    outcome: Graded,
    state_rows: dict[str, ReviewState],
    ability_rows: dict[str, Ability],
    scheduler: Scheduler,
    now: datetime,
) -> AnswerResult:
    item = entry.item
    row = state_rows.get(item.id)
    d, s, last, reps, lapses, due = scheduler.review(
        row, item, entry.exercise, outcome.grade, answer.answered_at, ability_rows
    )
    if row is None:
        row = ReviewState(learner_id=learner_id, item_id=item.id)
        session.add(row)
        state_rows[item.id] = row
    row.difficulty, row.stability, row.last_review = d, s, last
    row.reps, row.lapses, row.due = reps, lapses, due
    scheduler.remember(row, item)
    weight = answer_weight(first_time=row.reps == 1, self_graded=outcome.verdict == "self")
    guess = guess_floor(entry.exercise.type, entry.exercise.options)
    update_ability(ability_rows[item.skill], item.irt_a, item.irt_b, outcome.correct, now, weight, guess)
    logged = Answer(
        learner_id=learner_id,
        id=answer.id,
        item_id=item.id,
        answered_at=answer.answered_at,
        received_at=now,
        response=answer.response,
        correct=outcome.correct,
        verdict=outcome.verdict,
        grade=outcome.grade,
        latency_ms=answer.latency_ms,
        session_id=answer.session_id,
        source=answer.source,
        feedback={"text": outcome.feedback, "expected": outcome.expected, "details": outcome.details},
    )
    session.add(logged)
    return _result(logged, "accepted", next_due=due)
