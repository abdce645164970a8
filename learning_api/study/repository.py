"""The concurrency rules of a learner's study data, in one place.

Two devices may sync the same offline batch at the same moment, and a placement test may finish while
answers land. The rules:

- the answer log is insert-if-new (``INSERT … ON CONFLICT DO NOTHING``): an id already logged is a
  duplicate, never an error. The intake reads which of a batch's ids are logged after it holds the locks
  of the batch's skills; a replay of an answer needs its skill's lock too, so what that read says holds
  until the intake commits. Only the same id sent with an item of another skill can be logged after that
  read: the writes count the answers they logged, and a batch one short is refused whole (409);
- every change to a learner's state for a skill (its ability row, the memory states of its items, the
  day's snapshot) happens while that skill's ability row is locked (created at the prior when missing),
  so concurrent writers queue instead of overwriting each other. Rows are always locked in skill order;
- memory states are read after those locks and written back in one upsert (insert-or-update: a state a
  concurrent first answer created is updated, never a duplicate-key error), in item order. The intake
  sends it with the new answers, the moved ability rows, the day's snapshot and the day count as one
  statement (`db.bulk.upsert_all`): every row it writes there is a row its locks cover or a counter upsert.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any

from sqlalchemy import Insert, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.bulk import Upsert, upsert_all
from learning_api.db.locking import dialect_name
from learning_api.db.tables import Ability, AbilitySnapshot, Answer, ReviewState
from learning_api.study.memory import prior_posterior

_ANSWER_COLUMNS = [column.key for column in Answer.__table__.columns]


@dataclass(slots=True)
class LoggedAnswer:
    """One row of the answer log as the intake makes it: the `Answer` columns as a plain object. A batch
    of 500 built as ORM instances spent more in their bookkeeping than the insert took, and the insert
    below is Core anyway."""

    learner_id: uuid.UUID
    id: uuid.UUID
    item_id: str
    answered_at: datetime
    received_at: datetime
    response: str
    correct: bool
    verdict: str
    grade: int
    latency_ms: int | None
    session_id: uuid.UUID | None
    source: str
    feedback: dict[str, Any]


@dataclass(slots=True)
class StateRow:
    """One memory state as the answer intake moves it: the `ReviewState` columns (the same names, so the
    memory model reads either) as a plain object, read in one statement and written in one upsert, with
    no ORM unit of work per answer."""

    item_id: str
    difficulty: float | None = None
    stability: float | None = None
    last_review: datetime | None = None
    due: datetime | None = None
    reps: int = 0
    lapses: int = 0
    family: str | None = None  # the item's family: written when the row is made (`save_states`)


@dataclass(slots=True)
class AbilityRow:
    """One ability row as the answer intake moves it: the `Ability` columns (the same names, so the
    ability model reads either) as a plain object. Read as ORM objects, the one-row lock of a single
    answer cost more CPU than any other step of it."""

    learner_id: uuid.UUID
    skill: str
    theta: float
    se: float
    n_answers: int
    posterior: list[float]
    updated_at: datetime


_ABILITY_FIELDS = tuple(f.name for f in fields(AbilityRow) if f.name not in ("learner_id", "skill"))
_ABILITIES = Ability.__table__.c
# Built once, of the table (as `states._DUE_ROWS`): every session and progress request reads it.
_READ_ABILITIES = select(*(_ABILITIES[f.name] for f in fields(AbilityRow))).where(
    _ABILITIES.learner_id == bindparam("learner_id")
)


async def read_abilities(session: AsyncSession, learner_id: uuid.UUID) -> list[AbilityRow]:
    """The learner's ability rows, to read (no lock: a reader that writes uses `lock_ability_rows`)."""
    return [AbilityRow(*row) for row in await session.execute(_READ_ABILITIES, {"learner_id": learner_id})]


# What an upsert updates: not the family, which a state read back does not carry (the row keeps its own)
_STATE_FIELDS = tuple(f.name for f in fields(StateRow) if f.name not in ("item_id", "family"))


def states_upsert(learner_id: uuid.UUID, rows: Iterable[StateRow]) -> Upsert:
    """The states written back: one upsert over the primary key (`db.bulk`), in item order. A new row gets
    its family from the `StateRow` that made it."""
    values = [
        {
            "learner_id": learner_id,
            "item_id": row.item_id,
            "family": row.family,
            **{f: getattr(row, f) for f in _STATE_FIELDS},
        }
        for row in sorted(rows, key=lambda row: row.item_id)
    ]
    return Upsert.of_rows(ReviewState.__table__, values, ["learner_id", "item_id"], _STATE_FIELDS)


def answers_insert(answers: Iterable[Answer | LoggedAnswer]) -> Upsert:
    """The answers logged: insert-if-new over the primary key (`db.bulk`), in id order. The intake knows
    which are new before it sends this (`evidence.answer_memory`, read after its locks); a row logged
    meanwhile all the same is skipped, never an error. One statement for the whole batch, no ORM
    bookkeeping per row: a 500-answer batch took 14 s through the ORM."""
    ordered = sorted(answers, key=lambda answer: answer.id.int)  # UUID order, compared in C
    columns = {key: list(map(attrgetter(key), ordered)) for key in _ANSWER_COLUMNS}  # a C call per column
    return Upsert(Answer.__table__, columns, ["learner_id", "id"], counted=True)


async def logged_answers(
    session: AsyncSession, learner_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Answer]:
    if not ids:
        return {}
    query = select(Answer).where(Answer.learner_id == learner_id, Answer.id.in_(list(ids)))
    return {row.id: row for row in await session.scalars(query)}


async def lock_abilities(
    session: AsyncSession, learner_id: uuid.UUID, skills: Collection[str], now: datetime
) -> dict[str, Ability]:
    """The learner's ability rows for ``skills``, locked to the end of the transaction; a missing one is
    made at the beginner prior (as of ``now``, so no drift is applied to it)."""
    if not skills:
        return {}
    # populate_existing: an Ability of this session already read is refreshed with what is locked
    rows = await session.scalars(
        _lock_statement(dialect_name(session), orm=True),
        _prior_rows(learner_id, skills, now),
        execution_options={"populate_existing": True},
    )
    return {row.skill: row for row in rows.all()}


async def lock_ability_rows(
    session: AsyncSession, learner_id: uuid.UUID, skills: Collection[str], now: datetime
) -> dict[str, AbilityRow]:
    """`lock_abilities` as plain rows, for a writer that sends them back itself (`abilities_upsert`)."""
    if not skills:
        return {}
    rows = await session.execute(
        _lock_statement(dialect_name(session), orm=False), _prior_rows(learner_id, skills, now)
    )
    return {row.skill: AbilityRow(*row) for row in rows}


def _prior_rows(learner_id: uuid.UUID, skills: Collection[str], now: datetime) -> list[dict[str, Any]]:
    prior = {"theta": 0.0, "se": 1.0, "n_answers": 0, "posterior": _prior(), "updated_at": now}
    return [{"learner_id": learner_id, "skill": skill, **prior} for skill in sorted(skills)]


@lru_cache(maxsize=1)
def _prior() -> list[float]:
    """The beginner prior on the grid, computed once: only ever a parameter of the lock (never changed)."""
    return prior_posterior()


@lru_cache(maxsize=4)
def _lock_statement(dialect: str, orm: bool) -> Insert:
    """The upsert the lock sends, made once per dialect with the rows as parameters (not values in the
    statement): SQLAlchemy's compiled cache then serves it, where a multi-row ``values()`` was compiled
    afresh on every answer (a third of a single answer's CPU time). One round trip inserts the missing
    rows at the prior, and locks and returns every row: on PostgreSQL an upsert that rewrites the key
    locks an existing row as FOR UPDATE would (in skill order: the rows are sorted); on SQLite any write
    takes the database's one writer lock to commit."""
    table = Ability.__table__
    statement = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(Ability if orm else table)
    upsert = statement.on_conflict_do_update(
        index_elements=["learner_id", "skill"], set_={"skill": statement.excluded.skill}
    )
    return (
        upsert.returning(Ability) if orm else upsert.returning(*(table.c[f.name] for f in fields(AbilityRow)))
    )


def abilities_upsert(learner_id: uuid.UUID, rows: Iterable[AbilityRow]) -> Upsert:
    """The moved ability rows written back (they exist: `lock_ability_rows` made and locked them)."""
    values = [
        {"learner_id": learner_id, "skill": row.skill, **{f: getattr(row, f) for f in _ABILITY_FIELDS}}
        for row in sorted(rows, key=lambda row: row.skill)
    ]
    return Upsert.of_rows(Ability.__table__, values, ["learner_id", "skill"], _ABILITY_FIELDS)


def snapshot_upsert(
    learner_id: uuid.UUID, rows: dict[str, Ability] | dict[str, AbilityRow], day: date
) -> Upsert:
    """One snapshot per skill and local day (the last of the day wins): the trend readiness forecasts from.
    One upsert for every skill of the batch (`db.bulk`)."""
    values = [
        {"learner_id": learner_id, "day": day.isoformat(), "skill": skill, "theta": row.theta, "se": row.se}
        for skill, row in sorted(rows.items())
    ]
    return Upsert.of_rows(AbilitySnapshot.__table__, values, ["learner_id", "day", "skill"], ["theta", "se"])


async def snapshot_abilities(
    session: AsyncSession, learner_id: uuid.UUID, rows: dict[str, Ability], day: date
) -> None:
    """`snapshot_upsert` for ORM rows, after they moved (they are flushed first)."""
    if not rows:
        return
    await session.flush()
    await upsert_all(session, [snapshot_upsert(learner_id, rows, day)])
