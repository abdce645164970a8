"""`db.bulk`: several upserts in one call write what each would alone (on PostgreSQL one statement of
``WITH`` parts), JSON values (numpy numbers too) read back as written, and a counter adds up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.accounts.service import register
from learning_api.db.bulk import Upsert, upsert_all
from learning_api.db.tables import Ability, StudyDay
from tests.conftest import unique_email

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)


def _abilities(learner_id: uuid.UUID, theta: float) -> Upsert:
    rows = [
        {"learner_id": learner_id, "skill": skill, "theta": theta + k, "se": 0.5, "n_answers": k + int(theta),
         "posterior": [np.float64(-1.25), 0.5, k, {"nested": [None, True]}], "updated_at": NOW}
        for k, skill in enumerate(["grammar", "reading"])
    ]  # fmt: skip
    return Upsert(Ability.__table__, rows, ["learner_id", "skill"], ["theta", "posterior"])


def _days(learner_id: uuid.UUID, answers: int) -> Upsert:
    rows = [{"learner_id": learner_id, "day": "2026-12-01", "answers": answers, "correct": 1}]
    return Upsert(StudyDay.__table__, rows, ["learner_id", "day"], add=["answers", "correct"])


async def test_upserts_in_one_call(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session, session.begin():
        learner_id = (await register(session, email=unique_email(), password="hea-parool-123")).id
    statements: list[str] = []

    def count(_conn, _cursor, sql, *_):  # type: ignore[no-untyped-def]
        statements.append(sql)

    async with db() as session, session.begin():
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            await upsert_all(session, [_abilities(learner_id, 1.0), _days(learner_id, 2)])
            await upsert_all(session, [_abilities(learner_id, 2.0), _days(learner_id, 3)])
        finally:
            event.remove(engine, "before_cursor_execute", count)
    if engine.dialect.name == "postgresql":
        assert len(statements) == 2  # one per call
    async with db() as session:
        abilities = {
            r.skill: (r.theta, r.n_answers, r.posterior)
            for r in await session.scalars(select(Ability).where(Ability.learner_id == learner_id))
        }
        day = await session.scalar(select(StudyDay).where(StudyDay.learner_id == learner_id))
    assert abilities == {
        "grammar": (2.0, 1, [-1.25, 0.5, 0, {"nested": [None, True]}]),  # n_answers: as first written
        "reading": (3.0, 2, [-1.25, 0.5, 1, {"nested": [None, True]}]),
    }
    assert day is not None and (day.answers, day.correct) == (5, 2)
