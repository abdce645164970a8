"""The link to the learner's writing and speaking submissions (scored by a teacher on the rubric)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.errors import InvalidInput


async def check_submission(
    session: AsyncSession, learner_id: uuid.UUID, submission_id: uuid.UUID, item_id: str
) -> None:
    """The submission must be the learner's own and answer this task."""
    raise InvalidInput("No such submission for this task.", field="submission_id")


async def points_of(
    session: AsyncSession, learner_id: uuid.UUID, submission_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int | None]:
    """Each submission's points out of 25 once a teacher scored it, else None."""
    return {s: None for s in submission_ids}
