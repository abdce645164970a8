"""A mock exam made straight in the database, from any published items: for tests of the exam's clock,
answers and access that should not depend on the course having a full exam's worth of content."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.db.tables import MockExam, MockExamPart
from models.exam import EXAM_PARTS


async def insert_exam(
    db: async_sessionmaker[AsyncSession],
    learner_id: str,
    groups: dict[str, list[list[str]]],
    level: str = "A2",
    started_at: datetime | None = None,
) -> str:
    exam_id, learner = uuid.uuid4(), uuid.UUID(learner_id)
    async with db() as session, session.begin():
        session.add(
            MockExam(
                learner_id=learner, id=exam_id, level=level, seed=1, status="running",
                started_at=started_at or datetime.now(UTC),
            )
        )  # fmt: skip
        await session.flush()
        for position, part in enumerate(EXAM_PARTS):
            session.add(
                MockExamPart(
                    learner_id=learner, exam_id=exam_id, part=part, position=position,
                    groups=groups.get(part, []), status="waiting", evidence_applied=False,
                )
            )  # fmt: skip
    return str(exam_id)
