"""`db.bulk`: several upserts in one call write what each would alone (on PostgreSQL one statement of
``WITH`` parts), JSON values (numpy numbers too) read back as written, and a counter adds up; a row is
stored as the ORM stores it (on SQLite the very text), and a batch beyond one SQLite statement's
parameters is written whole, in order, its counted rows counted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.accounts.service import register
from learning_api.db.bulk import Upsert, upsert_all
from learning_api.db.tables import Ability, Answer, StudyDay
from learning_api.settings import Settings
from tests.conftest import published_lesson, unique_email

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)


def _abilities(learner_id: uuid.UUID, theta: float) -> Upsert:
    rows = [
        {"learner_id": learner_id, "skill": skill, "theta": theta + k, "se": 0.5, "n_answers": k + int(theta),
         "posterior": [np.float64(-1.25), 0.5, k, {"nested": [None, True]}], "updated_at": NOW}
        for k, skill in enumerate(["grammar", "reading"])
    ]  # fmt: skip
    return Upsert.of_rows(Ability.__table__, rows, ["learner_id", "skill"], ["theta", "posterior"])


def _days(learner_id: uuid.UUID, answers: int) -> Upsert:
    rows = [{"learner_id": learner_id, "day": "2026-12-01", "answers": answers, "correct": 1}]
    return Upsert.of_rows(StudyDay.__table__, rows, ["learner_id", "day"], add=["answers", "correct"])


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


def _answer(learner_id: uuid.UUID, item_id: str) -> dict[str, Any]:
    """An answer's columns, each object made anew (so two rows share only the learner and the literals)."""
    return {
        "learner_id": learner_id, "id": uuid.uuid4(), "item_id": item_id,
        "answered_at": datetime(2026, 12, 1, 17, 30, 5, 250, tzinfo=timezone(timedelta(hours=2))),
        "received_at": datetime(2026, 12, 1, 15, 31, tzinfo=UTC), "response": "žodis", "correct": True,
        "verdict": "right", "grade": 4, "latency_ms": None, "session_id": uuid.uuid4(), "source": "session",
        "feedback": {"note": "é ü", "score": 0.1, "parts": [None, True, 1e-07, np.float64(2.5)]},
    }  # fmt: skip


async def test_rows_stored_as_the_orm_stores_them(
    db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    item_id = next(iter(await published_lesson(db, settings, tmp_path)))
    async with db() as session, session.begin():
        learner_id = (await register(session, email=unique_email(), password="hea-parool-123")).id
        session.add(Answer(**_answer(learner_id, item_id)))
    rows = [_answer(learner_id, item_id) for _ in range(2)]
    again = [*rows, _answer(learner_id, item_id)]
    async with db() as session, session.begin():
        first = await upsert_all(
            session, [Upsert.of_rows(Answer.__table__, rows, ["learner_id", "id"], counted=True)]
        )
        second = await upsert_all(
            session, [Upsert.of_rows(Answer.__table__, again, ["learner_id", "id"], counted=True)]
        )
    assert (first, second) == (2, 1)  # the rows already logged are skipped, not counted
    columns = [c for c in Answer.__table__.c if c.name not in ("id", "session_id")]
    mine = Answer.learner_id == learner_id
    async with db() as session:
        read = [
            {c.key: getattr(a, c.key) for c in columns}
            for a in await session.scalars(select(Answer).where(mine))
        ]
        if session.bind.dialect.name == "sqlite":  # the stored text itself (SQLite's literal of each value)
            stored = (await session.execute(select(*map(func.quote, columns)).where(mine))).all()
            assert len(stored) == 4 and len(set(stored)) == 1
    assert len(read) == 4 and all(values == read[0] for values in read)  # alike but for their ids
    answered_at, feedback = read[0]["answered_at"], read[0]["feedback"]
    assert answered_at == rows[0]["answered_at"] and answered_at.utcoffset() == timedelta(0)
    assert feedback == {"note": "é ü", "score": 0.1, "parts": [None, True, 1e-07, 2.5]}


async def test_a_batch_beyond_one_statement(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session, session.begin():
        learner_id = (await register(session, email=unique_email(), password="hea-parool-123")).id
    # three parameters a row besides the learner: 12000 rows are more than SQLite's 32766 for one statement
    days = [f"d{k:09d}" for k in range(12000)]

    def upsert(keys: list[int], answers: list[int], **add: Any) -> Upsert:
        rows = [
            {"learner_id": learner_id, "day": days[k], "answers": n, "correct": 1}
            for k, n in zip(keys, answers, strict=True)
        ]
        return Upsert.of_rows(StudyDay.__table__, rows, ["learner_id", "day"], counted=True, **add)

    every = list(range(len(days)))
    async with db() as session, session.begin():
        even = every[::2]
        assert await upsert_all(session, [upsert(even, even)]) == 6000
        assert await upsert_all(session, [upsert(every, [-1] * len(days))]) == 6000  # the odd ones
        assert (
            await upsert_all(session, [upsert(every, [1] * len(days), add=["answers", "correct"])]) == 12000
        )
    async with db() as session:
        query = select(StudyDay.day, StudyDay.answers).where(StudyDay.learner_id == learner_id)
        stored = dict((await session.execute(query)).all())
    assert stored == {day: k + 1 if k % 2 == 0 else 0 for k, day in enumerate(days)}
