"""Mock exam API contract: start, read (resume), open a part, answer, submit a part, the result."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from learning_api.catalog.schemas import ShownExercise
from models.exam import ExamLevel, ExamPart

# running: parts still to take; finished: every part submitted or timed out (human parts may still be
# waiting for a teacher); abandoned: the learner started another mock exam before finishing this one
ExamStatus = Literal["running", "finished", "abandoned"]
# waiting: not opened yet; open: its clock runs; submitted: handed in; timed_out: closed by the clock
PartStatus = Literal["waiting", "open", "submitted", "timed_out"]
Scoring = Literal["machine", "teacher"]


class ExamStartIn(msgspec.Struct, forbid_unknown_fields=True):
    """``id`` is made by the client: sending the same start again (a dropped connection) returns the exam
    it made. ``seed`` makes the assembly repeatable (default: from the id)."""

    id: uuid.UUID
    level: ExamLevel
    seed: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)] | None = None


class ExamAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    """An answer to one item of the open part; answering again replaces it until the part is submitted.
    Machine-graded items send ``response``; writing and speaking items send the ``submission_id`` of the
    learner's submission (made through /submissions)."""

    item_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    response: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    submission_id: uuid.UUID | None = None


class ExamItemOut(msgspec.Struct, omit_defaults=True):
    item_id: str
    exercise: ShownExercise
    answered: bool
    response: str | None = None  # the learner's current answer (machine items)
    submission_id: uuid.UUID | None = None  # the linked submission (writing and speaking items)
    correct: bool | None = None  # shown once the part is closed


class ExamPartOut(msgspec.Struct, omit_defaults=True):
    part: ExamPart
    status: PartStatus
    scoring: Scoring
    time_limit_minutes: int
    items: int
    answered: int
    pending: bool  # closed, but a teacher has still to score it
    started_at: datetime | None = None
    deadline: datetime | None = None  # the server's clock decides; answers after it (and a grace) are refused
    submitted_at: datetime | None = None
    correct: int | None = None  # machine parts, once closed
    points: int | None = None  # out of 25, once scored
    groups: list[list[ExamItemOut]] | None = None  # the exercises, once the part is opened


class ExamResultOut(msgspec.Struct):
    """Points per part out of 25 (null until scored), the total of those known, and the verdict by the
    exam's rule: at least ``pass_total`` points and no part at 0. ``pending``: parts handed in that a
    teacher has still to score; ``to_take``: parts not handed in yet. ``passed`` is null until every
    part is scored."""

    points: dict[str, int | None]
    total: int
    max_total: int
    pass_total: int
    pending: list[ExamPart]
    to_take: list[ExamPart]
    passed: bool | None


class ExamOut(msgspec.Struct):
    id: uuid.UUID
    level: ExamLevel
    status: ExamStatus
    started_at: datetime
    server_time: datetime  # the clock deadlines are kept by, so the app can show time left
    finished_at: datetime | None
    parts: list[ExamPartOut]
    result: ExamResultOut


class ExamSummaryOut(msgspec.Struct):
    id: uuid.UUID
    level: ExamLevel
    status: ExamStatus
    started_at: datetime
    result: ExamResultOut


class ExamAnswerOut(msgspec.Struct):
    """The answer is recorded; whether it was right is shown when the part is closed (as in the exam)."""

    item_id: str
    part: ExamPart
    status: Literal["recorded"]
    deadline: datetime
