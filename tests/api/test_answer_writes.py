"""What one answer writes, and in how many statements: a first answer to an item moves its memory state,
the skill's ability row, the day's ability snapshot (the ability as it now is) and the day count; a
review moves the state and counts the day but leaves the ability row as it was (no ability evidence).
On PostgreSQL the log insert and the four writes go as one statement, so an answer costs four: the
token lookup, the ability lock, the memory read (which also says whether the answer is logged already)
and the writes (beside the served parameters and the bank's signature, which the worker keeps and reads
again only now and then). A replay is told apart by that read and changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.catalog.documents import Exercise
from learning_api.db.tables import Ability, AbilitySnapshot, Answer, ReviewState, StudyDay
from learning_api.settings import Settings
from tests.conftest import published_lesson, sign_up

STATEMENTS_PER_ANSWER_ON_POSTGRESQL = 3
Typed = tuple[Exercise, dict[str, str]]


@pytest.fixture
async def typed(client: AsyncTestClient, db: async_sessionmaker[AsyncSession], settings: Settings,
                tmp_path: Path) -> Typed:  # fmt: skip
    """A published item answered by typing, and a new learner."""
    exercises = await published_lesson(db, settings, tmp_path)
    item = next(e for e in exercises.values() if e.type in ("cloze", "inflect", "translate"))
    return item, await sign_up(client)


async def _rows(session: AsyncSession, learner_id: uuid.UUID) -> dict[str, Any]:
    def of(model: Any) -> Any:
        return select(model.__table__).where(model.learner_id == learner_id)

    return {
        "states": {r.item_id: r.reps for r in await session.execute(of(ReviewState))},
        "abilities": {r.skill: (r.n_answers, r.theta) for r in await session.execute(of(Ability))},
        "snapshots": {(r.day, r.skill): r.theta for r in await session.execute(of(AbilitySnapshot))},
        "days": {r.day: r.answers for r in await session.execute(of(StudyDay))},
    }


async def test_an_answer_writes_state_ability_snapshot_and_day_in_one_statement(
    app: Litestar, client: AsyncTestClient, db: async_sessionmaker[AsyncSession], typed: Typed
) -> None:
    item, learner = typed
    learner_id = uuid.UUID(learner["id"])
    headers = {"Authorization": learner["auth"]}
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        statements.append(sql)

    async def answer(minutes_ago: int) -> None:
        at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        body = {"id": str(uuid.uuid4()), "item_id": item.id, "answered_at": at.isoformat(),
                "response": item.answers[0]}  # fmt: skip
        statements.clear()
        r = await client.post("/study/answers", json=body, headers=headers)
        assert r.status_code == 200 and r.json()["accepted"] == 1, r.text

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        await answer(20)  # the first answer to the item: ability evidence
        async with db() as session:
            first = await _rows(session, learner_id)
        await answer(10)  # a review of it: memory evidence only
        async with db() as session:
            second = await _rows(session, learner_id)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert first["states"] == {item.id: 1}
    (day,) = first["days"]
    assert first["days"] == {day: 1}
    ((n_answers, theta),) = first["abilities"].values()
    assert n_answers == 1
    assert first["snapshots"] == {(day, item.skill): theta}  # the ability as the answer left it
    assert second["states"] == {item.id: 2}
    assert second["days"] == {day: 2}
    assert second["abilities"] == first["abilities"]  # a review is no ability evidence
    assert second["snapshots"] == first["snapshots"]
    if engine.dialect.name == "postgresql":
        # not counted: the served parameters' version check, which any request may make (every 30 s), the
        # learner's own weights, read again after it, the lessons' signature (at most once a second) and
        # the token's lookup (kept by the worker for seconds: `accounts.token_cache`)
        sometimes = ("FROM model_params", "FROM learner_model_params", "FROM lessons", "FROM auth_tokens")
        counted = [s for s in statements if not any(table in s for table in sometimes)]
        assert len(counted) == STATEMENTS_PER_ANSWER_ON_POSTGRESQL, counted


async def test_an_id_logged_between_the_read_and_the_write_refuses_the_batch_whole(
    app: Litestar, client: AsyncTestClient, db: async_sessionmaker[AsyncSession], typed: Typed
) -> None:
    """The intake reads which ids are logged after its locks; only the same id sent with an item of
    another skill (whose lock it does not take) can be logged after that read. Here that row lands just
    before the writes: the batch is refused (409 naming the field), and none of its writes stay."""
    item, learner = typed
    learner_id, answer_id = uuid.UUID(learner["id"]), uuid.uuid4()
    at = datetime.now(UTC) - timedelta(minutes=5)
    raced: list[str] = []

    def log_it_first(conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if "INSERT INTO answers" in sql and not raced:
            raced.append(sql)
            conn.execute(
                insert(Answer.__table__).values(
                    learner_id=learner_id, id=answer_id, item_id=item.id, answered_at=at, received_at=at,
                    response="", correct=False, verdict="wrong", grade=1, source="session", feedback={},
                )
            )  # fmt: skip

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", log_it_first)
    try:
        body = {"id": str(answer_id), "item_id": item.id, "answered_at": at.isoformat(),
                "response": item.answers[0]}  # fmt: skip
        r = await client.post("/study/answers", json=body, headers={"Authorization": learner["auth"]})
    finally:
        event.remove(engine, "before_cursor_execute", log_it_first)
    assert raced
    assert r.status_code == 409, r.text
    assert r.json()["errors"][0]["field"] == "id", r.text
    async with db() as session:
        nothing: dict[str, dict[Any, Any]] = {"states": {}, "abilities": {}, "snapshots": {}, "days": {}}
        assert await _rows(session, learner_id) == nothing
        logged = await session.scalar(select(func.count()).where(Answer.learner_id == learner_id))
    assert logged == 0  # the row logged inside the refused transaction went with it
