"""The /authoring API contract: a lesson travels as its YAML text, media as base64 by relative path."""

from __future__ import annotations

from typing import Annotated

import msgspec

from learning_api.kinds import ExerciseType, Level, Skill, Topic
from learning_api.pagination import Page

MAX_SOURCE_CHARS = 200_000


class LessonText(msgspec.Struct, forbid_unknown_fields=True):
    source: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_SOURCE_CHARS)]
    filename: str | None = None  # when given, the lesson id must match it, as for files on disk
    known_words: list[str] = []  # the course's known_words.txt entries (words only)
    media: dict[str, str] = {}  # "media/x.ogg" -> base64 bytes


class LessonUpload(LessonText):
    publish: bool = False


class ProblemOut(msgspec.Struct):
    line: int
    message: str


class ValidationOut(msgspec.Struct):
    ok: bool
    problems: list[ProblemOut]


class UploadOut(msgspec.Struct):
    lesson_id: str
    version: int
    changed: bool
    published: bool
    media_uploaded: int


class PublishIn(msgspec.Struct, forbid_unknown_fields=True):
    version: Annotated[int, msgspec.Meta(ge=1)] | None = None


class AuthoredLesson(msgspec.Struct):
    id: str
    course: str
    level: Level
    topic: Topic
    position: int
    title: dict[str, str]
    published_version: int | None
    latest_version: int


class AuthoredLessonPage(Page[AuthoredLesson]):
    pass


class ItemStatsOut(msgspec.Struct, kw_only=True):
    """How one exercise fares with learners: what an author needs to spot a broken or too hard item."""

    item_id: str
    lesson_id: str
    type: ExerciseType
    skill: Skill
    level: Level
    attempts: int
    learners: int
    first_attempt_right: float | None  # share right on each learner's first try: the item's difficulty
    share_right: float | None  # over every answer, reviews included
    median_latency_ms: int | None
    irt_a: float  # discrimination, calibrated by `keelerada models calibrate` (else the author's prior)
    irt_b: float  # difficulty on the ability scale
    ratings: int
    mean_rating: float | None
    error_reports: int
    flags: list[str]  # "too hard", "too easy", "reported", "does not discriminate"


class ItemStatsPage(Page[ItemStatsOut]):
    pass
