"""Item feedback contract: a learner rates an exercise or reports an error in it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec


class FeedbackIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Literal["rating", "error"]
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)] | None = None
    message: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class FeedbackOut(msgspec.Struct):
    id: uuid.UUID
    item_id: str
    lesson_id: str
    kind: str
    rating: int | None
    message: str
    created_at: datetime


class LessonFeedbackOut(msgspec.Struct):
    """The lesson's totals over all feedback, and one page of it (newest first) in the paging envelope."""

    lesson_id: str
    reports: int
    ratings: int
    mean_rating: float | None
    items: list[FeedbackOut]
    limit: int
    offset: int
    next_offset: int | None
