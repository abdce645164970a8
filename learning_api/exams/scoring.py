"""Time limits and scoring of a mock exam's parts, and its result by the exam's rule (`models.exam`).

A machine part is scored when it closes: the share of its items answered right on the 25-point scale
(an item left unanswered is wrong). A writing or speaking part is scored once a teacher has scored every
submission it links: the mean of their points out of 25 (a task left without a submission counts 0).
A machine part's score enters the part's skill once (`evidence.record_part_result`); a writing or
speaking submission's score already moved its skill when the teacher scored it (the submissions' rule),
so the part adds nothing more: the same text counted twice would make readiness surer than it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import MockExam, MockExamAnswer, MockExamPart
from learning_api.exams import submissions
from learning_api.exams.assembly import PART_SOURCES
from learning_api.exams.evidence import record_part_result
from learning_api.exams.schemas import ExamResultOut
from models.exam import EXAM_PARTS, PART_POINTS, PASS_TOTAL, TIME_LIMIT_MINUTES, part_points, passed

# An answer sent in the last seconds is still on its way when the clock strikes: it counts.
GRACE = timedelta(seconds=30)


def time_limit(level: str, part: str) -> timedelta:
    return timedelta(minutes=TIME_LIMIT_MINUTES[level][part])


def closing_time(row: MockExamPart) -> datetime:
    assert row.deadline is not None
    return row.deadline + GRACE


def past_deadline(row: MockExamPart, now: datetime) -> bool:
    return row.deadline is not None and now > closing_time(row)


def items_of(row: MockExamPart) -> list[str]:
    return [item for group in row.groups for item in group]


async def score_closed(
    session: AsyncSession,
    exam: MockExam,
    parts: dict[str, MockExamPart],
    now: datetime,
    time_zone: str,
    cuts: Sequence[float],
) -> None:
    """Score the closed parts not scored yet, and feed each new score to readiness once."""
    closed = [p for p in parts.values() if p.status in ("submitted", "timed_out") and p.points is None]
    if not closed:
        return
    answers = {
        a.item_id: a
        for a in await session.scalars(
            select(MockExamAnswer).where(
                MockExamAnswer.learner_id == exam.learner_id, MockExamAnswer.exam_id == exam.id
            )
        )
    }
    for row in closed:
        items = items_of(row)
        if PART_SOURCES[row.part].scoring == "machine":
            row.correct = sum(bool(answers[i].correct) for i in items if i in answers)
            row.points = part_points(row.correct, len(items))
        else:
            linked = [answers[i].submission_id for i in items if i in answers]
            scored = await submissions.points_of(
                session, exam.learner_id, [s for s in linked if s is not None]
            )
            if any(s is not None and scored.get(s) is None for s in linked):
                continue  # a teacher has still to score a submission: the part stays pending
            total = sum(scored[s] for s in linked if s is not None)
            row.points = int(total / len(items) + 0.5)
            row.evidence_applied = True  # each scored submission moved the skill already (submissions)
        if not row.evidence_applied:
            await record_part_result(
                session, exam.learner_id, row.part, exam.level, row.correct / len(items), len(items), now,
                time_zone, cuts,
            )  # fmt: skip
            row.evidence_applied = True


def result(parts: dict[str, MockExamPart]) -> ExamResultOut:
    points = {part: parts[part].points for part in EXAM_PARTS}
    known = {part: p for part, p in points.items() if p is not None}
    to_take = [part for part in EXAM_PARTS if parts[part].status in ("waiting", "open")]
    pending = [part for part in EXAM_PARTS if parts[part].points is None and part not in to_take]
    return ExamResultOut(
        points=points,
        total=sum(known.values()),
        max_total=PART_POINTS * len(EXAM_PARTS),
        pass_total=PASS_TOTAL,
        pending=pending,  # type: ignore[arg-type]
        to_take=to_take,  # type: ignore[arg-type]
        passed=passed(known) if len(known) == len(EXAM_PARTS) else None,
    )
