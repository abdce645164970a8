"""The /submissions and /scoring API contract: a learner's writing and speaking submissions, the
immediate check of a text, the upload of a recording, and the rubric scores."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from learning_api.kinds import HumanScoredType, SubmissionStatus
from learning_api.pagination import Page
from learning_api.submissions.rubric import CRITERION_MAX, Criterion
from learning_api.submissions.writing import MAX_TEXT_CHARS

ItemId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Comment = Annotated[str, msgspec.Meta(max_length=4000)]
Points = Annotated[int, msgspec.Meta(ge=0, le=CRITERION_MAX)]


class WritingIn(msgspec.Struct, forbid_unknown_fields=True):
    item_id: ItemId
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS)]


class SpeakingIn(msgspec.Struct, forbid_unknown_fields=True):
    """Announce a recording: its content type (audio/ogg, audio/opus, audio/webm, audio/mpeg, audio/mp4,
    audio/wav; codec parameters allowed) before uploading it."""

    item_id: ItemId
    content_type: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class ScoresIn(msgspec.Struct, forbid_unknown_fields=True):
    """Every criterion of the part (GET /submissions/rubric) scored 0–5; a teacher may add a comment."""

    scores: dict[Criterion, Points]
    comment: Comment = ""


class FormError(msgspec.Struct):
    word: str
    lemma: str  # the known word Vabamorf recognises in it


class WritingCheck(msgspec.Struct):
    words: int
    min_words: int
    max_words: int
    length: Literal["short", "ok", "long"]
    unknown_words: list[str]
    form_errors: list[FormError]
    feedback: list[str]  # the above in the learner's language


class SubmissionOut(msgspec.Struct, omit_defaults=True):
    """``points`` is out of the part's 25; ``status`` self_assessed marks the learner's own score.
    ``model_answer`` (the task's sample) is shown once the learner has submitted."""

    id: uuid.UUID
    item_id: str
    kind: HumanScoredType
    status: SubmissionStatus
    created_at: datetime
    task: str  # in the reader's language
    submitted_at: datetime | None = None
    text: str | None = None
    check: WritingCheck | None = None
    audio_url: str | None = None  # short-lived presigned GET of the recording
    audio_type: str | None = None
    scores: dict[str, int] | None = None
    points: float | None = None
    comment: str | None = None
    scored_at: datetime | None = None
    model_answer: str | None = None


class SpeakingUpload(msgspec.Struct):
    """PUT the recording's bytes to ``upload_url`` with the ``Content-Type`` announced, then POST
    /submissions/{id}/confirm."""

    submission: SubmissionOut
    upload_url: str
    method: Literal["PUT"]
    content_type: str
    max_bytes: int
    expires_at: datetime


class ScoringOut(msgspec.Struct):
    """A submission as a scorer sees it: whose, and what the rubric asks."""

    learner_id: uuid.UUID
    learner_email: str
    submission: SubmissionOut
    criteria: list[Criterion]


class CriterionOut(msgspec.Struct):
    criterion: Criterion
    description: str
    max_points: int


class RubricOut(msgspec.Struct):
    part_points: int
    writing: list[CriterionOut]
    speaking: list[CriterionOut]


class SubmissionPage(Page[SubmissionOut]):
    pass


class ScoringPage(Page[ScoringOut]):
    pass
