"""The mock tasemeeksam: start (assembled from the bank), resume, open a part, answer, submit, result.

All state is on the server, so a dropped connection loses nothing: reading the exam again gives the
same parts, the same exercises and the same clocks. The server's clock keeps the time limits: a part
closes at its deadline plus ``GRACE`` whether or not the app hands it in, and later answers are refused.
Machine parts are graded by the study grading (`study.grading.grade_answer`, the one rule) and scored
when closed; writing and speaking parts are scored by a teacher on the rubric (`timing.human_points`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import anyio
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import MockExam, MockExamAnswer, MockExamPart, ReviewState
from learning_api.errors import Conflict, InvalidInput, NotFound
from learning_api.exams import scoring, submissions
from learning_api.exams.assembly import PART_SOURCES, assemble
from learning_api.storage import ObjectStore
from learning_api.study.bank import published_bank
from learning_api.study.grading import NeedsSelfGrade, grade_answer
from models.exam import EXAM_PARTS

# Items met in study or a mock exam this recently are taken last (the learner may remember the answer).
RECENT = timedelta(days=30)


async def start(
    session: AsyncSession,
    store: ObjectStore,
    learner_id: uuid.UUID,
    exam_id: uuid.UUID,
    level: str,
    seed: int | None,
    now: datetime,
) -> MockExam:
    """The exam with ``exam_id``: made now, or the one this id already made. Any other
    running mock exam of the learner is abandoned: one exam at a time, as in the exam hall."""
    existing = await session.get(MockExam, (learner_id, exam_id))
    if existing is not None:
        if existing.level != level:
            raise Conflict(
                "This exam id was already used for a {level} exam.", field="id", level=existing.level
            )
        return existing
    seed = seed if seed is not None else exam_id.int % 2**63
    bank = await published_bank(session, store)
    plan, shortfalls = assemble(
        (p.item for p in bank.entries.values()), level, await recently_seen(session, learner_id, now), seed
    )
    if shortfalls:
        missing = "; ".join(
            f"{s.part}: {s.found} of the {s.needed} {PART_SOURCES[s.part].types[0]} items needed"
            for s in shortfalls
        )
        raise Conflict(
            "The course cannot fill a {level} mock exam yet ({missing}).", field="level", level=level,
            missing=missing,
        )  # fmt: skip
    exam = MockExam(
        learner_id=learner_id, id=exam_id, level=level, seed=seed, status="running", started_at=now
    )
    try:
        async with session.begin_nested():  # the same start sent twice at once: the second finds the first
            session.add(exam)
            await session.flush()
    except IntegrityError:
        return await start(session, store, learner_id, exam_id, level, seed, now)
    await session.execute(
        update(MockExam)
        .where(MockExam.learner_id == learner_id, MockExam.status == "running", MockExam.id != exam_id)
        .values(status="abandoned")
    )
    for position, part in enumerate(EXAM_PARTS):
        session.add(
            MockExamPart(
                learner_id=learner_id, exam_id=exam_id, part=part, position=position, groups=plan[part],
                status="waiting", evidence_applied=False,
            )
        )  # fmt: skip
    await session.flush()
    return exam


async def recently_seen(session: AsyncSession, learner_id: uuid.UUID, now: datetime) -> set[str]:
    since = now - RECENT
    studied = await session.scalars(
        select(ReviewState.item_id).where(
            ReviewState.learner_id == learner_id, ReviewState.last_review >= since
        )
    )
    examined = await session.scalars(
        select(MockExamPart.groups)
        .join(
            MockExam, (MockExam.learner_id == MockExamPart.learner_id) & (MockExam.id == MockExamPart.exam_id)
        )
        .where(MockExam.learner_id == learner_id, MockExam.started_at >= since)
    )
    return set(studied) | {i for groups in examined for group in groups for i in group}


async def load(
    session: AsyncSession, learner_id: uuid.UUID, exam_id: uuid.UUID, *, for_update: bool = False
) -> tuple[MockExam, dict[str, MockExamPart]]:
    """The learner's exam and its parts; another learner's exam is 'not found' (its id tells nothing).
    ``for_update`` locks the exam row: answers and submits of one exam queue instead of racing."""
    query = select(MockExam).where(MockExam.learner_id == learner_id, MockExam.id == exam_id)
    exam = await session.scalar(query.with_for_update() if for_update else query)
    if exam is None:
        raise NotFound("No such mock exam.", field="exam_id")
    parts = await session.scalars(
        select(MockExamPart)
        .where(MockExamPart.learner_id == learner_id, MockExamPart.exam_id == exam_id)
        .execution_options(populate_existing=True)
    )
    by_part = {p.part: p for p in parts}
    return exam, {part: by_part[part] for part in EXAM_PARTS}


def part_of(parts: dict[str, MockExamPart], part: str) -> MockExamPart:
    if part not in parts:
        raise InvalidInput("No such exam part: {part}.", field="part", part=part)
    return parts[part]


def open_part(parts: dict[str, MockExamPart], part: str, level: str, now: datetime) -> MockExamPart:
    """Start the part's clock (once: opening it again returns it as it is). One part runs at a time."""
    row = part_of(parts, part)
    if row.status == "open":
        return row
    if row.status != "waiting":
        raise Conflict("The {part} part is already closed.", field="part", part=part)
    running = [p.part for p in parts.values() if p.status == "open"]
    if running:
        raise Conflict(
            "Submit the {part} part first: one part runs at a time.", field="part", part=running[0]
        )
    row.status, row.started_at = "open", now
    row.deadline = now + scoring.time_limit(level, part)
    return row


async def answer(
    session: AsyncSession,
    store: ObjectStore,
    exam: MockExam,
    parts: dict[str, MockExamPart],
    item_id: str,
    response: str,
    submission_id: uuid.UUID | None,
    lang: str,
    now: datetime,
) -> MockExamPart:
    """Record (or replace) the answer to one item of the open part. Machine items are graded now and the
    verdict kept back until the part closes; writing and speaking items link the learner's submission."""
    row = next((p for p in parts.values() if any(item_id in g for g in p.groups)), None)
    if row is None:
        raise InvalidInput("This item is not part of this exam.", field="item_id")
    if row.status != "open":
        raise Conflict("The {part} part is not open.", field="item_id", part=row.part)
    if scoring.past_deadline(row, now):
        raise Conflict("Time is up for the {part} part.", field="item_id", part=row.part)
    entry = (await published_bank(session, store)).entries.get(item_id)
    if entry is None:
        raise Conflict("This exercise is no longer published.", field="item_id")
    stored = await session.get(MockExamAnswer, (exam.learner_id, exam.id, item_id))
    if stored is None:
        stored = MockExamAnswer(learner_id=exam.learner_id, exam_id=exam.id, item_id=item_id, part=row.part)
        session.add(stored)
    stored.received_at = now
    if PART_SOURCES[row.part].scoring == "teacher":
        if submission_id is None:
            raise InvalidInput(
                "Send the submission_id of your submission for this task.", field="submission_id"
            )
        assert row.started_at is not None
        await submissions.check_submission(session, exam.learner_id, submission_id, item_id, row.started_at)
        stored.submission_id, stored.response = submission_id, ""
    else:
        try:
            graded = await anyio.to_thread.run_sync(lambda: grade_answer(entry.exercise, response, lang))
        except NeedsSelfGrade as exc:  # no exam item is a self-graded card; refuse rather than guess
            raise InvalidInput(str(exc), field="item_id") from exc
        stored.response, stored.verdict, stored.correct = response, graded.verdict, graded.correct
    return row


async def close_due_parts(
    session: AsyncSession,
    exam: MockExam,
    parts: dict[str, MockExamPart],
    now: datetime,
    time_zone: str,
    cuts: Sequence[float],
) -> None:
    """Close every open part whose time ran out (the server's clock decides, not the app), then score
    what can be scored. Called on every read, so a learner who never came back still gets a result."""
    for row in parts.values():
        if row.status == "open" and scoring.past_deadline(row, now):
            row.status, row.submitted_at = "timed_out", min(now, scoring.closing_time(row))
    await scoring.score_closed(session, exam, parts, now, time_zone, cuts)
    if exam.status == "running" and all(p.status in ("submitted", "timed_out") for p in parts.values()):
        exam.status, exam.finished_at = "finished", max(p.submitted_at or now for p in parts.values())


async def submit_part(
    session: AsyncSession,
    exam: MockExam,
    parts: dict[str, MockExamPart],
    part: str,
    now: datetime,
    time_zone: str,
    cuts: Sequence[float],
) -> MockExamPart:
    """Hand the part in (again: nothing changes). A part whose time ran out is closed as timed out."""
    row = part_of(parts, part)
    if row.status == "waiting":
        raise Conflict("The {part} part was not opened.", field="part", part=part)
    if row.status == "open" and not scoring.past_deadline(row, now):
        row.status, row.submitted_at = "submitted", now
    await close_due_parts(session, exam, parts, now, time_zone, cuts)
    return row


async def exams_of(
    session: AsyncSession, learner_id: uuid.UUID, limit: int = 50
) -> list[tuple[MockExam, dict[str, MockExamPart]]]:
    """The learner's newest exams with their parts (two queries, however many exams)."""
    exams = list(
        await session.scalars(
            select(MockExam)
            .where(MockExam.learner_id == learner_id)
            .order_by(MockExam.started_at.desc())
            .limit(limit)
        )
    )
    parts: dict[uuid.UUID, dict[str, MockExamPart]] = {exam.id: {} for exam in exams}
    if exams:
        rows = await session.scalars(
            select(MockExamPart).where(
                MockExamPart.learner_id == learner_id, MockExamPart.exam_id.in_(list(parts))
            )
        )
        for row in rows:
            parts[row.exam_id][row.part] = row
    return [(exam, {part: parts[exam.id][part] for part in EXAM_PARTS}) for exam in exams]


async def answers_of(session: AsyncSession, exam: MockExam) -> dict[str, MockExamAnswer]:
    rows = await session.scalars(
        select(MockExamAnswer).where(
            MockExamAnswer.learner_id == exam.learner_id, MockExamAnswer.exam_id == exam.id
        )
    )
    return {row.item_id: row for row in rows}
