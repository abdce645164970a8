"""The reads that take a list of ids (`states.listed`) send one parameter whatever the list's length, so
the database prepares one statement; ids with quotes, backslashes and letters beyond ASCII come back as
they went, and a list longer than SQLite's old limit of 999 parameters is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.accounts.service import register
from learning_api.db.tables import ReviewState
from learning_api.settings import Settings
from learning_api.study.states import met_among
from tests.conftest import published_lesson, unique_email

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
ODD = ['a"b', "c\\d", "ä-õ-ü", "x'y", "[]", "", "ž\u2028"]  # ids no lesson has, spelled to trip a quoting


async def test_an_id_list_is_one_parameter_whatever_its_length(
    db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    ids = sorted(await published_lesson(db, settings, tmp_path / "a"))
    met = ids[::2]
    async with db() as session, session.begin():
        learner = await register(session, email=unique_email(), password="hea-parool-123")
        for i in met:
            session.add(
                ReviewState(
                    learner_id=learner.id, item_id=i, difficulty=5.0, stability=2.0,
                    last_review=NOW - timedelta(days=2), due=NOW, reps=1, lapses=0,
                )
            )  # fmt: skip
    sent: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    async with db() as session:
        engine = session.bind.sync_engine  # type: ignore[union-attr]
        event.listen(engine, "before_cursor_execute", capture)
        try:
            few = await met_among(session, learner.id, [*ids[:3], *ODD])
            many = await met_among(session, learner.id, [*ids, *ODD, *(f"puudub-{k}" for k in range(1500))])
        finally:
            event.remove(engine, "before_cursor_execute", capture)
    assert few == set(ids[:3]) & set(met)
    assert many == set(met)
    (first, first_parameters), (second, second_parameters) = sent
    assert first == second  # one statement text: prepared once
    # the learner and the list (and PostgreSQL's separator), not a parameter per id
    assert len(first_parameters) == len(second_parameters) <= 3
