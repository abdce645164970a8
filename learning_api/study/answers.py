"""Answer intake: one answer or an offline batch, idempotent by the client's id, applied in answered-at
order; each accepted answer is graded, logged, and moves the memory state and the ability estimate in
the same transaction. Bad answers are refused one by one with a reason; the rest are kept."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import anyio
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.bulk import upsert_all
from learning_api.db.study_days import counted
from learning_api.db.tables import Answer
from learning_api.errors import Conflict
from learning_api.i18n import translator
from learning_api.kinds import HUMAN_SCORED_TYPES
from learning_api.modelling.params import ParamsCache
from learning_api.storage import ObjectStore
from learning_api.study.bank import Published, published_bank
from learning_api.study.grading import (
    GRADES,
    Graded,
    NeedsSelfGrade,
    UnreadableResponse,
    grade_answer,
    grading_key,
)
from learning_api.study.memory import Review, answer_weight, guess_floor, update_ability
from learning_api.study.repository import (
    AbilityRow,
    LoggedAnswer,
    StateRow,
    abilities_upsert,
    answers_insert,
    lock_ability_rows,
    logged_answers,
    snapshot_upsert,
    states_upsert,
)
from learning_api.study.scheduling import Scheduler
from learning_api.study.schemas import AnswerIn, AnswerResult
from learning_api.study.selection import family

CLOCK_SKEW = timedelta(minutes=5)


def _result(
    index: int,
    answer: Answer | LoggedAnswer,
    status: Literal["accepted", "duplicate"],
    next_due: datetime | None = None,
) -> AnswerResult:
    """What the client is told about a logged answer: the same for the first upload and any replay."""
    feedback = answer.feedback or {}
    return AnswerResult(
        index=index,
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


def _rejected(index: int, answer: AnswerIn, reason: str, field: str, lang: str) -> AnswerResult:
    """``reason`` is a msgid: the learner reads it in their language."""
    return AnswerResult(
        index=index,
        id=answer.id,
        item_id=answer.item_id,
        status="rejected",
        reason=translator(lang)(reason),
        field=field,
    )


async def record_answers(
    session: AsyncSession,
    store: ObjectStore,
    learner_id: uuid.UUID,
    lang: str,
    answers: list[tuple[int, AnswerIn]],
    now: datetime,
    time_zone: str = "Europe/Tallinn",
    *,
    params: ParamsCache,
) -> list[AnswerResult]:
    results: dict[int, AnswerResult] = {}
    bank = await published_bank(session, store)
    published = bank.select({a.item_id for _, a in answers})
    first_index: dict[uuid.UUID, int] = {}
    repeats: dict[int, int] = {}
    refused: dict[int, tuple[AnswerIn, str, str]] = {}  # index: the answer, its field, the reason
    todo: list[tuple[int, AnswerIn, Published]] = []
    latest = now + CLOCK_SKEW
    for index, answer in answers:
        first = first_index.setdefault(answer.id, index)  # one hash of the id per answer, not two
        entry = published.get(answer.item_id)
        if first != index:
            repeats[index] = first
        elif entry is None:
            refused[index] = (answer, "item_id", "This exercise is unknown or no longer published.")
        elif entry.item.type in HUMAN_SCORED_TYPES:
            refused[index] = (answer, "item_id", "This task is answered by a submission, not an answer.")
        elif answer.answered_at > latest:
            refused[index] = (answer, "answered_at", "The answer time lies in the future.")
        else:
            todo.append((index, answer, entry))

    todo.sort(key=lambda entry: entry[1].answered_at)
    graded = await _grade_all([(a, p) for _, a, p in todo], lang)
    logged: list[tuple[int, LoggedAnswer, Published]] = []
    for (index, answer, entry), outcome in zip(todo, graded, strict=True):
        if isinstance(outcome, tuple):
            refused[index] = (answer, *outcome)
        else:
            logged.append((index, _logged(learner_id, answer, outcome, now), entry))
    # A replay is told apart where it matters, with no read before the work: the insert in `_store` finds
    # the logged ones among the gradable answers, and an answer refused now (its item unpublished since,
    # the rules changed) that was logged before is the duplicate it is, never a refusal.
    stored = await logged_answers(session, learner_id, {answer.id for answer, _, _ in refused.values()})
    for index, (answer, field, reason) in refused.items():
        results[index] = (
            _result(index, stored[answer.id], "duplicate")
            if answer.id in stored
            else _rejected(index, answer, reason, field, lang)
        )
    if logged:
        results.update(await _store(session, params, learner_id, logged, now, time_zone, bank.families))
    for index, first in repeats.items():  # the same id twice in one batch: the first one counts
        kept = results[first]
        results[index] = msgspec.structs.replace(
            kept, index=index, status="duplicate" if kept.status == "accepted" else kept.status
        )
    await session.flush()
    return [results[i] for i, _ in answers]


async def _store(
    session: AsyncSession,
    params: ParamsCache,
    learner_id: uuid.UUID,
    logged: list[tuple[int, LoggedAnswer, Published]],
    now: datetime,
    time_zone: str,
    families: Mapping[str, Collection[str]],
) -> dict[int, AnswerResult]:
    """Log the graded answers and move the state, under the locks of ``repository`` (in answered-at order);
    an answer another device logged before is reported as the duplicate it is."""
    ability_rows = await lock_ability_rows(session, learner_id, {e.item.skill for _, _, e in logged}, now)
    counts = {skill: row.n_answers for skill, row in ability_rows.items()}  # what moves is written back
    scheduler, state_rows, replays = await Scheduler.load(
        session,
        params,
        learner_id,
        [e.item for _, _, e in logged],
        {e.item.id for _, _, e in logged},
        now,
        families,
        [a.id for _, a, _ in logged],
    )
    raced = await logged_answers(session, learner_id, replays)
    # the answers not logged before (their ids are distinct): picked once, with no hash of an id per
    # answer in the usual batch, which replays nothing
    new = [entry for entry in logged if entry[1].id not in replays] if replays else logged
    if not new:  # all replays: nothing moves
        return {index: _result(index, raced[answer.id], "duplicate") for index, answer, _ in logged}
    moving = {e.item.id for _, _, e in new}
    state_rows = {item_id: row for item_id, row in state_rows.items() if item_id in moving}
    results: dict[int, AnswerResult] = {}
    known: list[tuple[int, LoggedAnswer, Published, StateRow]] = []  # reviews of items with a state

    def apply_known() -> None:
        """The reviews so far, vectorised; then applied in answered-at order, as one by one."""
        reviews = scheduler.reviews_of_known([(r, e.item.id, a.grade, a.answered_at) for _, a, e, r in known])
        for (index, answer, entry, row), review in zip(known, reviews, strict=True):
            settled = scheduler.settle(entry.item.id, answer.grade, review)
            results[index] = _write(index, answer, entry, row, settled, ability_rows, scheduler)
        known.clear()

    for index, answer, entry in logged:
        row = state_rows.get(entry.item.id)
        if replays and answer.id in replays:
            results[index] = _result(index, raced[answer.id], "duplicate")
        elif row is not None:
            known.append((index, answer, entry, row))
        else:  # a first answer starts from its family or the cold start: everything before it counts
            apply_known()
            results[index] = _apply(index, answer, entry, state_rows, ability_rows, scheduler)
    apply_known()
    answered = {e.item.skill for _, _, e in new}  # a replay changes no snapshot
    zone = ZoneInfo(time_zone)
    day = now.astimezone(zone).date()
    upserts = [
        answers_insert(a for _, a, _ in new),
        states_upsert(learner_id, {**scheduler.moved, **state_rows}.values()),
        abilities_upsert(learner_id, (r for k, r in ability_rows.items() if r.n_answers != counts[k])),
        snapshot_upsert(learner_id, {k: r for k, r in ability_rows.items() if k in answered}, day),
        counted(((learner_id, a.answered_at, a.correct) for _, a, _ in new), zone),
    ]
    if await upsert_all(session, upserts) != len(new):  # one round trip on PostgreSQL
        # an id logged since the read by a batch holding other skills' locks: the same id sent with
        # another item; its states moved with this write, so nothing of the batch may stay
        raise Conflict("an answer with this id was logged meanwhile; send the batch again", field="id")
    return results


async def _grade_all(pairs: list[tuple[AnswerIn, Published]], lang: str) -> list[Graded | tuple[str, str]]:
    """Each answer's grade, or the reason it cannot be graded. A batch repeats (item, response) pairs, and
    so do learners: the worker's grading cache answers those, and only the rest go to a worker thread
    (Vabamorf is CPU-bound), all in one hop."""
    keys = [grading_key(p.item.id, p.item.lesson_version, p.exercise, a, lang) for a, p in pairs]
    outcomes = [GRADES.get(key) for key in keys]
    missing = [k for k, outcome in enumerate(outcomes) if outcome is None]
    if missing:
        fresh = await anyio.to_thread.run_sync(_grade, [pairs[k] for k in missing], lang)
        for k, outcome in zip(missing, fresh, strict=True):
            outcomes[k] = outcome
            GRADES.put(keys[k], outcome)
    return outcomes  # type: ignore[return-value]


def _grade(pairs: list[tuple[AnswerIn, Published]], lang: str) -> list[Graded | tuple[str, str]]:
    """Each answer graded, or (the field, the reason) it cannot be."""
    out: list[Graded | tuple[str, str]] = []
    for answer, entry in pairs:
        try:
            out.append(
                grade_answer(
                    entry.exercise,
                    answer.response,
                    lang,
                    latency_ms=answer.latency_ms,
                    hinted=answer.hinted,
                    self_grade=answer.self_grade,
                )
            )
        except NeedsSelfGrade as exc:
            out.append(("self_grade", str(exc)))
        except UnreadableResponse as exc:
            out.append(("response", str(exc)))
    return out


def _logged(learner_id: uuid.UUID, answer: AnswerIn, outcome: Graded, now: datetime) -> LoggedAnswer:
    return LoggedAnswer(
        learner_id=learner_id,
        id=answer.id,
        item_id=answer.item_id,
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


def _apply(
    index: int,
    answer: LoggedAnswer,
    entry: Published,
    state_rows: dict[str, StateRow],
    ability_rows: dict[str, AbilityRow],
    scheduler: Scheduler,
) -> AnswerResult:
    """Move the item's memory state and the skill's ability by one logged answer (the rules: `scheduling`
    for memory, `memory.answer_weight` for what counts as ability evidence)."""
    item = entry.item
    row = state_rows.get(item.id)
    review = scheduler.review(row, item, entry.exercise, answer.grade, answer.answered_at, ability_rows)
    if row is None:
        row = state_rows[item.id] = StateRow(item.id, family=family(item))
    return _write(index, answer, entry, row, review, ability_rows, scheduler)


def _write(
    index: int,
    answer: LoggedAnswer,
    entry: Published,
    row: StateRow,
    review: Review,
    ability_rows: dict[str, AbilityRow],
    scheduler: Scheduler,
) -> AnswerResult:
    item = entry.item
    d, s, last, reps, lapses, due = review
    row.difficulty, row.stability, row.last_review = d, s, last
    row.reps, row.lapses, row.due = reps, lapses, due
    scheduler.remember(row, item, answer.grade)
    weight = answer_weight(first_time=row.reps == 1, self_graded=answer.verdict == "self")
    if weight:  # a review is no ability evidence (`update_ability` would leave the row as it is)
        exercise = entry.exercise
        guess = guess_floor(
            exercise.type, exercise.rights if exercise.kind == "match" else exercise.options, exercise.kind
        )
        a, b = scheduler.params.ab(item)
        update_ability(ability_rows[item.skill], a, b, answer.correct, answer.received_at, weight, guess)
    return _result(index, answer, "accepted", next_due=due)
