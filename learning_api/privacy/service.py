"""A learner's right to their data: export everything we hold about them, or delete the account.

Deleting keeps the answers and item feedback for item calibration, but under a fresh random id that
links to no one (not the account id, not a hash of it), so the person cannot be found in them.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.db.tables import (
    Ability,
    AbilitySnapshot,
    Answer,
    CounsellorAccess,
    CounsellorShare,
    ItemFeedback,
    LearnerModelParams,
    LearnerProfile,
    MockExam,
    MockExamAnswer,
    MockExamPart,
    PlacementTest,
    ReviewState,
    StudyDay,
    Submission,
    User,
)
from learning_api.errors import NotFound

_EXPORTED = {
    "review_states": ReviewState,
    "answers": Answer,
    "ability": Ability,
    "ability_history": AbilitySnapshot,
    "study_days": StudyDay,  # answers per local day, counted from the answers above
    "placement_tests": PlacementTest,
    "mock_exams": MockExam,
    "mock_exam_parts": MockExamPart,
    "mock_exam_answers": MockExamAnswer,
    "item_feedback": ItemFeedback,
    "memory_weights": LearnerModelParams,
    "counsellor_shares": CounsellorShare,
    "counsellor_access_log": CounsellorAccess,
    "submissions": Submission,  # texts, recordings' keys, scores and comments
}
_PRIVATE_COLUMNS = {"password_hash"}


def _row(obj: Any) -> dict[str, Any]:
    data = {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in _PRIVATE_COLUMNS}
    return msgspec.to_builtins(data)


_ROWS_PER_FETCH = 500


async def export_chunks(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: uuid.UUID
) -> AsyncIterator[bytes]:
    """The export as one JSON object, written as it is read: a learner's answers grow without bound, so
    neither the rows nor the document are ever all in memory. It opens its own read-only session
    because the body is sent after the request's session has closed."""
    async with sessionmaker() as session:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound("no such user")
        profile = await session.get(LearnerProfile, user_id)
        yield b'{"user":' + msgspec.json.encode(_row(user))
        yield b',"profile":' + msgspec.json.encode(_row(profile) if profile else None)
        for name, table in _EXPORTED.items():
            yield f',"{name}":['.encode()
            query = select(table).where(table.learner_id == user_id)
            query = query.execution_options(yield_per=_ROWS_PER_FETCH)
            first = True
            async for partition in (await session.stream_scalars(query)).partitions():
                chunk = b",".join(msgspec.json.encode(_row(r)) for r in partition)
                yield (b"" if first else b",") + chunk
                first = False
            yield b"]"
        yield b"}"


async def delete_account(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    """Delete the account's rows; returns the object keys of its recordings, which the caller deletes
    from the store (the service has no store; a recording is personal data like the text)."""
    if await session.get(User, user_id) is None:
        raise NotFound("no such user")
    recordings = list(
        await session.scalars(
            select(Submission.audio_key).where(
                Submission.learner_id == user_id, Submission.audio_key.is_not(None)
            )
        )
    )
    pseudonym = uuid.uuid4()
    await session.execute(update(Answer).where(Answer.learner_id == user_id).values(learner_id=pseudonym))
    await session.execute(
        update(ItemFeedback).where(ItemFeedback.learner_id == user_id).values(learner_id=pseudonym)
    )
    for table in (
        ReviewState,
        Ability,
        AbilitySnapshot,
        StudyDay,
        PlacementTest,
        MockExamAnswer,
        MockExamPart,
        MockExam,
        LearnerModelParams,
        CounsellorShare,
        CounsellorAccess,
        Submission,
    ):
        await session.execute(delete(table).where(table.learner_id == user_id))
    await session.execute(delete(User).where(User.id == user_id))
    return recordings
