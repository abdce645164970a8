"""Study API contract: the daily session the app shows, and the answers it sends back (live or offline)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from learning_api.catalog.schemas import ShownExercise
from learning_api.kinds import Language, Recording, Skill, Topic, Verdict

MAX_BATCH = 500


class AnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    """One answer. ``id`` is made by the client once per answer, so a replayed upload is recognised;
    ``answered_at`` is the client's clock, with its time zone.

    ``response`` to a question of a reading text or a dialogue (one item per question): the option's
    text (choice); `true`, `false` or `not-given` (true-false); the rights in the order of the lefts, one
    a line, joined by "\\n" (match); a word or a few words in Estonian (short). A true-false or match
    response that answers nothing (another word, a line too few) is rejected with field `response`."""

    id: uuid.UUID
    item_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    answered_at: Annotated[datetime, msgspec.Meta(tz=True)]
    response: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    latency_ms: Annotated[int, msgspec.Meta(ge=0, le=3_600_000)] | None = None
    hinted: bool = False
    self_grade: Annotated[int, msgspec.Meta(ge=1, le=4)] | None = None  # flashcards: how well it was recalled
    session_id: uuid.UUID | None = None
    source: Literal["session", "placement", "assignment"] = "session"


# An offline batch: each entry is decoded into an AnswerIn on its own, so one bad entry is rejected with
# its index while the others are stored.
AnswerBatch = Annotated[list[Any], msgspec.Meta(min_length=1, max_length=MAX_BATCH)]


class AnswerResult(msgspec.Struct, omit_defaults=True):
    """``index``: the entry's place in the batch sent (0 for a single answer). ``id`` and ``item_id`` are
    missing only from an entry rejected because they were unreadable."""

    index: int
    status: Literal["accepted", "duplicate", "rejected"]
    id: uuid.UUID | None = None
    item_id: str | None = None
    reason: str | None = None
    field: str | None = None
    verdict: Verdict | None = None
    correct: bool | None = None
    grade: int | None = None
    feedback: str | None = None
    expected: str | None = None
    details: list[dict[str, Any]] | None = None
    next_due: datetime | None = None


class AnswersOut(msgspec.Struct):
    accepted: int
    duplicates: int
    rejected: int
    results: list[AnswerResult]


class SessionItem(msgspec.Struct):
    item_id: str
    lesson_id: str
    kind: Literal["review", "new"]
    skill: Skill
    topic: Topic
    exercise: ShownExercise
    recall: float | None = None  # predicted recall now, for reviews
    predicted_success: float | None = None  # for new items
    assigned: bool = False  # a teacher's assignment
    comes_back_in_days: int | None = None  # when it is due again if answered well (load-smoothed)


class SessionOut(msgspec.Struct):
    session_id: uuid.UUID
    generated_at: datetime
    language: Language
    reviews: int
    new: int
    due_total: int
    items: list[SessionItem]


class TurnOut(msgspec.Struct):
    speaker: str
    text: str  # in Estonian


class TranscriptOut(msgspec.Struct):
    """What a dialogue says, turn by turn: given once the learner has answered all of its questions."""

    group: str  # the dialogue exercise (the ``group`` of its question items)
    situation: str
    recording: Recording
    turns: list[TurnOut]
