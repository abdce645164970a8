"""The learner's side of submissions: hand in a text (checked at once) or a recording (uploaded by a
presigned URL, then checked on the server), list them with their scores, assess oneself on the rubric.

Services take the session and never commit. Presigning and the store run off the event loop.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import Exercise
from learning_api.db.tables import Item, Submission
from learning_api.errors import Conflict, InvalidInput, NotFound
from learning_api.i18n import translator
from learning_api.modelling.params import ParamsCache
from learning_api.pagination import PageQuery, scalars_page
from learning_api.storage import ObjectStore
from learning_api.study.published import published_exercises
from learning_api.study.scored import add_scored_evidence
from learning_api.submissions import audio, rubric
from learning_api.submissions.schemas import (
    FormError,
    SpeakingIn,
    SpeakingUpload,
    SubmissionOut,
    SubmissionPage,
    WritingCheck,
    WritingIn,
)
from learning_api.submissions.writing import check_text, feedback

UPLOAD_TTL = timedelta(minutes=30)


def score_points(submission: Submission, *, self_assessed_too: bool = False) -> float | None:
    """The part's points (out of 25) a submission earned, or None while no person has scored it; the
    learner's own assessment counts only when ``self_assessed_too`` (a mock exam's result should not)."""
    if submission.status == "scored" or (self_assessed_too and submission.status == "self_assessed"):
        return submission.points
    return None


def render(submission: Submission, lang: str, store: ObjectStore, ttl: timedelta) -> SubmissionOut:
    """Blocking when there is a recording to presign: call off the event loop."""
    _ = translator(lang)
    check = None
    if submission.kind == "writing" and submission.check:
        found = submission.check
        check = WritingCheck(
            words=found["words"],
            min_words=found["min_words"],
            max_words=found["max_words"],
            length=found["length"],
            unknown_words=list(found["unknown_words"]),
            form_errors=[FormError(**f) for f in found["form_errors"]],
            feedback=feedback(found, _),
        )
    heard = submission.audio_key and submission.status != "uploading"
    scored = submission.status in ("scored", "self_assessed")
    return SubmissionOut(
        id=submission.id,
        item_id=submission.item_id,
        kind=submission.kind,  # type: ignore[arg-type]
        status=submission.status,  # type: ignore[arg-type]
        created_at=submission.created_at,
        task=submission.task.get(lang) or submission.task.get("et", ""),
        submitted_at=submission.submitted_at,
        text=submission.text,
        check=check,
        audio_url=store.presigned_get_url(submission.audio_key, ttl) if heard else None,  # type: ignore[arg-type]
        audio_type=submission.audio_type,
        scores=dict(submission.scores) if scored else None,
        points=submission.points if scored else None,
        comment=submission.comment if scored else None,
        scored_at=submission.scored_at,
        model_answer=submission.model_answer if submission.submitted_at else None,
    )


async def rendered(
    items: list[Submission], lang: str, store: ObjectStore, ttl: timedelta
) -> list[SubmissionOut]:
    return await anyio.to_thread.run_sync(lambda: [render(s, lang, store, ttl) for s in items])


async def _task(session: AsyncSession, store: ObjectStore, item_id: str, kind: str) -> Exercise:
    found = (await published_exercises(session, store, [item_id])).get(item_id)
    if found is None:
        raise NotFound("This exercise is unknown or no longer published.", field="item_id")
    if found.exercise.type != kind:
        raise InvalidInput("item_id: this exercise is not a {kind} task", field="item_id", kind=kind)
    return found.exercise


def _new(learner_id: uuid.UUID, exercise: Exercise, kind: str, now: datetime) -> Submission:
    return Submission(
        learner_id=learner_id,
        id=uuid.uuid4(),
        item_id=exercise.id,
        kind=kind,
        created_at=now,
        task=dict(exercise.task or {}),
        model_answer=exercise.answers[0] if exercise.answers else None,
        check={},
        scores={},
        comment="",
        evidence_applied=False,
    )


async def hand_in_text(
    session: AsyncSession, store: ObjectStore, learner_id: uuid.UUID, data: WritingIn, now: datetime
) -> Submission:
    exercise = await _task(session, store, data.item_id, "writing")
    text = data.text.strip()
    if not text:
        raise InvalidInput("text: write something first", field="text")
    found = await anyio.to_thread.run_sync(check_text, text, exercise.min_words or 1, exercise.max_words or 1)
    submission = _new(learner_id, exercise, "writing", now)
    submission.text, submission.check = text, found
    submission.status, submission.submitted_at = "pending", now
    session.add(submission)
    await session.flush()
    return submission


async def start_recording(
    session: AsyncSession, store: ObjectStore, learner_id: uuid.UUID, data: SpeakingIn, now: datetime
) -> tuple[Submission, str]:
    """The submission (status uploading) and the presigned URL to PUT the recording to."""
    kind = audio.base_type(data.content_type)
    if kind not in audio.AUDIO_TYPES:
        raise InvalidInput(
            "content_type: recordings are one of {types}",
            field="content_type",
            types=", ".join(audio.AUDIO_TYPES),
        )
    exercise = await _task(session, store, data.item_id, "speaking")
    submission = _new(learner_id, exercise, "speaking", now)
    submission.status, submission.audio_type = "uploading", kind
    submission.audio_key = f"submissions/{learner_id}/{submission.id}.{audio.AUDIO_TYPES[kind][0]}"
    session.add(submission)
    await session.flush()
    url = await anyio.to_thread.run_sync(store.presigned_put_url, submission.audio_key, UPLOAD_TTL)
    return submission, url


def upload_of(submission: SubmissionOut, url: str, content_type: str, now: datetime) -> SpeakingUpload:
    return SpeakingUpload(
        submission=submission,
        upload_url=url,
        method="PUT",
        content_type=content_type,
        max_bytes=audio.MAX_AUDIO_BYTES,
        expires_at=now + UPLOAD_TTL,
    )


async def own(session: AsyncSession, learner_id: uuid.UUID, submission_id: uuid.UUID) -> Submission:
    found = await session.get(Submission, (learner_id, submission_id))
    if found is None:
        raise NotFound("no such submission", field="submission_id")
    return found


async def confirm_recording(
    session: AsyncSession, store: ObjectStore, learner_id: uuid.UUID, submission_id: uuid.UUID, now: datetime
) -> Submission:
    """Check the uploaded object; only a recording that passes makes the submission pending. A bad one
    is deleted from the store and refused with the reason."""
    submission = await own(session, learner_id, submission_id)
    if submission.kind != "speaking" or submission.status != "uploading":
        raise Conflict("this submission is not waiting for a recording", field="submission_id")
    key = submission.audio_key or ""
    outcome = await anyio.to_thread.run_sync(audio.uploaded_problem, store, key, submission.audio_type or "")
    if isinstance(outcome, str):
        if outcome != audio.MISSING:
            await anyio.to_thread.run_sync(store.delete, key)
        raise InvalidInput(outcome, field="audio")
    submission.audio_type, submission.audio_bytes = outcome
    submission.status, submission.submitted_at = "pending", now
    return submission


async def mine(
    session: AsyncSession, learner_id: uuid.UUID, page: PageQuery
) -> tuple[list[Submission], int | None]:
    query = (
        select(Submission)
        .where(Submission.learner_id == learner_id)
        .order_by(Submission.created_at.desc(), Submission.id)
    )
    return await scalars_page(session, query, page)


def page_out(items: list[SubmissionOut], page: PageQuery, next_offset: int | None) -> SubmissionPage:
    return SubmissionPage(items=items, limit=page.limit, offset=page.offset, next_offset=next_offset)


async def record_score(
    session: AsyncSession,
    params: ParamsCache,
    submission: Submission,
    scores: dict[str, int],
    comment: str,
    scorer_id: uuid.UUID,
    now: datetime,
) -> Submission:
    """Score a submission on the rubric (a teacher, or the learner themself: ``scorer_id`` says which).

    The score feeds the skill's ability once per submission (`study.scored`), at its first scoring; a
    later correction changes the record, not the evidence already counted."""
    if submission.status == "uploading":
        raise Conflict("the recording has not been confirmed yet", field="submission_id")
    if (problem := rubric.invalid_scores(submission.kind, scores)) is not None:
        raise InvalidInput(problem, field="scores")
    self_assessed = scorer_id == submission.learner_id
    if self_assessed and submission.status == "scored":
        raise Conflict("a teacher has scored this submission already", field="submission_id")
    submission.scores, submission.comment = dict(scores), comment
    submission.points = rubric.part_points(submission.kind, scores)
    submission.status = "self_assessed" if self_assessed else "scored"
    submission.scored_by, submission.scored_at = scorer_id, now
    if not submission.evidence_applied:
        item = await session.get(Item, submission.item_id)
        earlier = await session.scalar(
            select(Submission.id)
            .where(
                Submission.learner_id == submission.learner_id,
                Submission.item_id == submission.item_id,
                Submission.evidence_applied.is_(True),
            )
            .limit(1)
        )
        if item is not None:
            submission.evidence_applied = await add_scored_evidence(
                session, params, submission.learner_id, item, submission.points / rubric.PART_POINTS,
                first_time=earlier is None, self_assessed=self_assessed, now=now,
            )  # fmt: skip
    await session.flush()
    return submission
