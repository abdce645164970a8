"""Counselling contract: a learner shares plan and progress with a named counsellor, and sees who looked."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import msgspec

from learning_api.kinds import Level
from learning_api.pagination import Page
from learning_api.progress.schemas import ProgressOut


class AccessKind(StrEnum):
    """What a counsellor looked at: the list of learners (a line each) or one learner's progress."""

    LIST = "list"
    PROGRESS = "progress"


class ShareIn(msgspec.Struct, forbid_unknown_fields=True):
    counsellor_email: Annotated[str, msgspec.Meta(min_length=3, max_length=320)]


class ShareOut(msgspec.Struct):
    counsellor_id: uuid.UUID
    counsellor_email: str
    counsellor_name: str
    since: datetime


class AccessOut(msgspec.Struct):
    counsellor_email: str
    at: datetime
    what: AccessKind


class MySharing(msgspec.Struct):
    """The learner's view: whom they share with, and every look at their data."""

    shares: list[ShareOut]
    accesses: list[AccessOut]


class SharedLearner(msgspec.Struct):
    """A line of the counsellor's list: enough to see who needs a word, nothing they did not share."""

    learner_id: uuid.UUID
    email: str
    display_name: str
    shared_since: datetime
    answers_7_days: int
    last_answer_at: datetime | None
    target_level: Level
    target_exam_date: str | None


class SharedLearnerPage(Page[SharedLearner]):
    pass


class LearnerProgressForCounsellor(msgspec.Struct):
    learner_id: uuid.UUID
    email: str
    progress: ProgressOut
    answers_by_day: dict[str, int]  # the last 14 days, ISO date (UTC) → answers
