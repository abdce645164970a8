"""Counselling rules: only a learner's own consent opens their data to a counsellor, the consent can be
taken back at any time, and every look is written down where the learner can read it (and in the export)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.accounts.service import normalise_email
from learning_api.counselling.schemas import (
    AccessKind,
    AccessOut,
    LearnerProgressForCounsellor,
    MySharing,
    SharedLearner,
    SharedLearnerPage,
    ShareOut,
)
from learning_api.db.activity import answer_counts, answers_per_day, last_answer_times
from learning_api.db.tables import CounsellorAccess, CounsellorShare, LearnerProfile, User
from learning_api.errors import InvalidInput, NotFound
from learning_api.pagination import PageQuery, bounded, page_of
from learning_api.progress.overview import build_overview

COUNSELLOR = "counsellor"
ACTIVITY_DAYS = 14


async def share(session: AsyncSession, learner_id: uuid.UUID, email: str, now: datetime) -> ShareOut:
    counsellor = await session.scalar(
        select(User).where(User.email == normalise_email(email), User.role == COUNSELLOR)
    )
    if counsellor is None:
        raise NotFound("no counsellor has this e-mail address", field="counsellor_email")
    if counsellor.id == learner_id:
        raise InvalidInput("you cannot share with yourself", field="counsellor_email")
    row = await session.get(CounsellorShare, (learner_id, counsellor.id))
    if row is None:
        row = CounsellorShare(learner_id=learner_id, counsellor_id=counsellor.id, created_at=now)
        session.add(row)
        await session.flush()
    return ShareOut(counsellor.id, counsellor.email, counsellor.display_name, row.created_at)


async def revoke(session: AsyncSession, learner_id: uuid.UUID, counsellor_id: uuid.UUID) -> None:
    gone = await session.execute(
        delete(CounsellorShare).where(
            CounsellorShare.learner_id == learner_id, CounsellorShare.counsellor_id == counsellor_id
        )
    )
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise NotFound("you do not share with this counsellor", field="counsellor_id")


async def my_sharing(session: AsyncSession, learner_id: uuid.UUID) -> MySharing:
    shares = await session.execute(
        select(User, CounsellorShare.created_at)
        .join(CounsellorShare, CounsellorShare.counsellor_id == User.id)
        .where(CounsellorShare.learner_id == learner_id)
        .order_by(CounsellorShare.created_at)
    )
    accesses = await session.scalars(
        select(CounsellorAccess)
        .where(CounsellorAccess.learner_id == learner_id)
        .order_by(CounsellorAccess.at)
    )
    return MySharing(
        shares=[ShareOut(u.id, u.email, u.display_name, since) for u, since in shares],
        accesses=[AccessOut(a.counsellor_email, a.at, AccessKind(a.what)) for a in accesses],
    )


def _log(
    session: AsyncSession, counsellor: User, learner_ids: list[uuid.UUID], what: AccessKind, now: datetime
) -> None:
    session.add_all(
        CounsellorAccess(
            learner_id=learner,
            counsellor_id=counsellor.id,
            counsellor_email=counsellor.email,
            at=now,
            what=what,
        )
        for learner in learner_ids
    )


async def shared_learners(
    session: AsyncSession, counsellor: User, now: datetime, page: PageQuery
) -> SharedLearnerPage:
    query = (
        select(User, CounsellorShare.created_at, LearnerProfile)
        .join(CounsellorShare, CounsellorShare.learner_id == User.id)
        .outerjoin(LearnerProfile, LearnerProfile.user_id == User.id)
        .where(CounsellorShare.counsellor_id == counsellor.id)
        .order_by(User.email)
    )
    rows, next_offset = page_of((await session.execute(bounded(query, page))).all(), page)
    ids = [user.id for user, _, _ in rows]
    recent = await answer_counts(session, ids, now - timedelta(days=7))
    last = await last_answer_times(session, ids)
    _log(session, counsellor, ids, AccessKind.LIST, now)
    learners = [
        SharedLearner(
            learner_id=user.id,
            email=user.email,
            display_name=user.display_name,
            shared_since=since,
            answers_7_days=recent.get(user.id, (0, 0))[0],
            last_answer_at=last.get(user.id),
            target_level=profile.target_level if profile else "B1",
            target_exam_date=profile.target_exam_date.isoformat()
            if profile and profile.target_exam_date
            else None,
        )
        for user, since, profile in rows
    ]
    return SharedLearnerPage(learners, page.limit, page.offset, next_offset)


async def learner_progress(
    session: AsyncSession, counsellor: User, learner_id: uuid.UUID, now: datetime, cuts: tuple[float, ...]
) -> LearnerProgressForCounsellor:
    """Only with the learner's consent; a learner who did not share looks exactly like no learner."""
    learner = await session.scalar(
        select(User)
        .join(CounsellorShare, CounsellorShare.learner_id == User.id)
        .where(CounsellorShare.learner_id == learner_id, CounsellorShare.counsellor_id == counsellor.id)
    )
    if learner is None:
        raise NotFound("no learner shares their progress with you under this id", field="learner_id")
    by_day = await answers_per_day(session, [learner_id], now - timedelta(days=ACTIVITY_DAYS))
    _log(session, counsellor, [learner_id], AccessKind.PROGRESS, now)
    return LearnerProgressForCounsellor(
        learner_id=learner.id,
        email=learner.email,
        progress=await build_overview(session, learner_id, now, cuts),
        answers_by_day=by_day,
    )
