"""What the learner's app is shown of a mock exam: its parts with their clocks, the exercises of the parts
opened (rendered without answers, the same way on every read, so a resumed exam looks as it did), and the
result by the exam's rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import anyio
import numpy as np

from learning_api.catalog.rendering import render_exercise
from learning_api.db.tables import MockExam, MockExamAnswer, MockExamPart
from learning_api.exams import scoring
from learning_api.exams.assembly import PART_SOURCES
from learning_api.exams.schemas import ExamItemOut, ExamOut, ExamPartOut, ExamSummaryOut
from learning_api.storage import ObjectStore
from learning_api.study.bank import Published


def _part_out(
    exam: MockExam,
    row: MockExamPart,
    answers: dict[str, MockExamAnswer],
    shown: dict[str, object] | None,
) -> ExamPartOut:
    items = scoring.items_of(row)
    closed = row.status in ("submitted", "timed_out")
    machine = PART_SOURCES[row.part].scoring == "machine"
    groups = None
    if shown is not None:
        groups = [
            [
                ExamItemOut(
                    item_id=i,
                    exercise=shown[i],  # type: ignore[arg-type]
                    answered=i in answers,
                    response=answers[i].response
                    if i in answers and answers[i].submission_id is None
                    else None,
                    submission_id=answers[i].submission_id if i in answers else None,
                    correct=(answers[i].correct if i in answers else False) if closed and machine else None,
                )
                for i in group
                if i in shown
            ]
            for group in row.groups
        ]
    return ExamPartOut(
        part=row.part,  # type: ignore[arg-type]
        status=row.status,  # type: ignore[arg-type]
        scoring=PART_SOURCES[row.part].scoring,  # type: ignore[arg-type]
        time_limit_minutes=int(scoring.time_limit(exam.level, row.part).total_seconds() // 60),
        items=len(items),
        answered=sum(i in answers for i in items),
        pending=closed and row.points is None,
        started_at=row.started_at,
        deadline=row.deadline,
        submitted_at=row.submitted_at,
        correct=row.correct,
        points=row.points,
        groups=groups,
    )


async def exam_out(
    exam: MockExam,
    parts: dict[str, MockExamPart],
    answers: dict[str, MockExamAnswer],
    bank: dict[str, Published],
    store: ObjectStore,
    lang: str,
    now: datetime,
    media_ttl: timedelta,
) -> ExamOut:
    """Exercises are shown for parts that have been opened; the option order comes from the exam's
    seed, so every read shows them alike."""

    def render() -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for row in parts.values():
            if row.status == "waiting":
                continue
            rng = np.random.default_rng([exam.seed, row.position])
            out[row.part] = {
                i: render_exercise(bank[i].exercise, lang, store, rng, media_ttl)
                for i in scoring.items_of(row)
                if i in bank
            }
        return out

    shown = await anyio.to_thread.run_sync(render)
    return ExamOut(
        id=exam.id,
        level=exam.level,  # type: ignore[arg-type]
        status=exam.status,  # type: ignore[arg-type]
        started_at=exam.started_at,
        server_time=now,
        finished_at=exam.finished_at,
        parts=[_part_out(exam, row, answers, shown.get(row.part)) for row in parts.values()],
        result=scoring.result(parts),
    )


def summary_out(exam: MockExam, parts: dict[str, MockExamPart]) -> ExamSummaryOut:
    return ExamSummaryOut(
        id=exam.id,
        level=exam.level,  # type: ignore[arg-type]
        status=exam.status,  # type: ignore[arg-type]
        started_at=exam.started_at,
        result=scoring.result(parts),
    )
