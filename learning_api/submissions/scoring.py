"""The scorer's side: a teacher sees the submissions of the learners in their own classes (an admin sees
every one), reads the text or plays the recording by a presigned URL, and scores it on the rubric.

A submission outside the caller's classes is "not found", never "forbidden": saying it exists would tell
a teacher about a learner who is not theirs.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import ClassMember, SchoolClass, Submission, User
from learning_api.errors import NotFound
from learning_api.i18n import translator
from learning_api.pagination import PageQuery, bounded, page_of
from learning_api.storage import ObjectStore
from learning_api.submissions import rubric
from learning_api.submissions.schemas import CriterionOut, RubricOut, ScoringOut
from learning_api.submissions.service import rendered

QUEUE_ORDER = {"pending": Submission.submitted_at.asc(), "scored": Submission.scored_at.desc()}


def _visible(user: User) -> ColumnElement[bool]:
    if user.role == "admin":
        return true()
    taught = (
        select(ClassMember.learner_id)
        .join(SchoolClass, SchoolClass.id == ClassMember.class_id)
        .where(SchoolClass.teacher_id == user.id)
    )
    return Submission.learner_id.in_(taught)


async def queue(
    session: AsyncSession,
    store: ObjectStore,
    user: User,
    status: str,
    lang: str,
    page: PageQuery,
    ttl: timedelta,
) -> tuple[list[ScoringOut], int | None]:
    """Submissions in ``status`` (pending: oldest first, the fair order to score them in)."""
    order = QUEUE_ORDER.get(status, Submission.scored_at.desc())
    query = (
        select(Submission, User.email)
        .join(User, User.id == Submission.learner_id)
        .where(Submission.status == status, _visible(user))
        .order_by(order, Submission.id)
    )
    rows, next_offset = page_of(list((await session.execute(bounded(query, page))).all()), page)
    outs = await rendered([s for s, _ in rows], lang, store, ttl)
    return [_scoring(s, email, out) for (s, email), out in zip(rows, outs, strict=True)], next_offset


async def one(session: AsyncSession, user: User, submission_id: uuid.UUID) -> tuple[Submission, str]:
    row = (
        await session.execute(
            select(Submission, User.email)
            .join(User, User.id == Submission.learner_id)
            .where(Submission.id == submission_id, _visible(user))
        )
    ).first()
    if row is None:
        raise NotFound("no such submission", field="submission_id")
    return row[0], row[1]


def _scoring(submission: Submission, email: str, out: object) -> ScoringOut:
    return ScoringOut(
        learner_id=submission.learner_id,
        learner_email=email,
        submission=out,  # type: ignore[arg-type]
        criteria=list(rubric.criteria_of(submission.kind)),  # type: ignore[arg-type]
    )


async def scoring_out(
    submission: Submission, email: str, lang: str, store: ObjectStore, ttl: timedelta
) -> ScoringOut:
    (out,) = await rendered([submission], lang, store, ttl)
    return _scoring(submission, email, out)


def rubric_out(lang: str) -> RubricOut:
    _ = translator(lang)

    def part(kind: str) -> list[CriterionOut]:
        return [
            CriterionOut(criterion=c, description=_(rubric.DESCRIPTIONS[c]), max_points=rubric.CRITERION_MAX)  # type: ignore[arg-type]
            for c in rubric.criteria_of(kind)
        ]

    return RubricOut(part_points=rubric.PART_POINTS, writing=part("writing"), speaking=part("speaking"))
