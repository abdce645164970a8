"""The link from a mock exam's writing and speaking items to the learner's submissions (learning_api.
submissions), which a teacher scores on the rubric out of the part's 25 points."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Submission
from learning_api.errors import Conflict, InvalidInput
from learning_api.submissions.service import own, score_points


async def check_submission(
    session: AsyncSession, learner_id: uuid.UUID, submission_id: uuid.UUID, item_id: str, since: datetime
) -> None:
    """The submission must be the learner's own, answer this task, be handed in (a recording confirmed)
    and be made while the part ran (not a text written for practice before)."""
    submission = await own(session, learner_id, submission_id)
    if submission.item_id != item_id:
        raise InvalidInput("This submission answers another task.", field="submission_id")
    if submission.status == "uploading":
        raise Conflict("Confirm the recording first.", field="submission_id")
    if submission.created_at < since:
        raise InvalidInput("This submission was made before the part began.", field="submission_id")


async def points_of(
    session: AsyncSession, learner_id: uuid.UUID, submission_ids: list[uuid.UUID]
) -> dict[uuid.UUID, float | None]:
    """Each submission's points out of 25 once a teacher scored it, else None (the learner's own
    assessment does not count in a mock exam's result)."""
    if not submission_ids:
        return {}
    rows = await session.scalars(
        select(Submission).where(Submission.learner_id == learner_id, Submission.id.in_(submission_ids))
    )
    return {row.id: score_points(row) for row in rows}
