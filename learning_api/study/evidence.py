"""The small indexed reads the study rules need beyond a learner's due queue: the memory of item
families (their members' states), the teacher's open assignments, and the review load of the coming days."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from sqlalchemy import CompoundSelect, String, Uuid, any_, bindparam, cast, func, null, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.base import from_sqlite
from learning_api.db.locking import dialect_name
from learning_api.db.tables import Answer, Assignment, ClassMember, ExerciseSet, ReviewState
from learning_api.study.memory import to_epoch
from learning_api.study.repository import StateRow
from learning_api.study.states import STATE_COLUMNS, among, each, joined, listed, split_ids, stronger


@dataclass
class DueLoad:
    """The learner's due dates in the load-smoothing window, a slot per item: epoch seconds in one array
    (what `Scheduler.smoothed` counts the load over in numpy), NaN in a slot not yet used."""

    slots: dict[str, int]
    epochs: np.ndarray

    @classmethod
    def of(cls, dues: Mapping[str, datetime]) -> DueLoad:
        epochs = np.array([to_epoch(due) for due in dues.values()], float)
        return cls({item_id: k for k, item_id in enumerate(dues)}, epochs)

    def put(self, item_id: str, due: datetime) -> None:
        """The item's due date, in its slot (a new one for an item not counted yet)."""
        slot = self.slots.setdefault(item_id, len(self.slots))
        if slot == len(self.epochs):  # room for more slots, doubled at a time
            self.epochs = np.concatenate([self.epochs, np.full(max(len(self.epochs), 16), np.nan)])
        self.epochs[slot] = to_epoch(due)


@dataclass(frozen=True)
class AnswerMemory:
    """What the answer intake reads of a learner's memory before applying a batch."""

    states: dict[str, StateRow]  # the answered items' own states
    families: dict[str, StateRow]  # per family, the member state with the highest stability
    load: DueLoad  # due dates in the load-smoothing window
    members: dict[str, list[StateRow]]  # per family, every member state (a right answer moves them on)
    logged: set[uuid.UUID]  # which of the batch's answers the log holds already (replays)


async def answer_memory(
    session: AsyncSession,
    learner_id: uuid.UUID,
    items: Collection[str],
    members: Mapping[str, Collection[str]],
    start: datetime,
    days: int,
    answer_ids: Collection[uuid.UUID],
) -> AnswerMemory:
    """The states of ``items``, the memory of the given families (their member item ids: the worker's bank
    knows them, so no scan of the items table) and the due dates in the ``days`` after ``start``, in one
    read over the review states' primary key and (learner, due) index. A state read for two reasons is one
    object: an answered item that is also its family's memory moves as the family's memory. The window's
    due dates come back aggregated, in one row of their own (`_memory_query`), with which of
    ``answer_ids`` are logged: read after the intake's locks, that is final (`repository`)."""
    family_of = {item_id: key for key, ids in members.items() for item_id in ids}
    wanted = set(items)
    keys = wanted | family_of.keys()
    dialect = dialect_name(session)
    parameters = {
        "learner_id": learner_id,
        "item_ids": listed(dialect, keys),
        "start": start,
        "end": start + timedelta(days=days),
        "answer_ids": (  # SQLite keeps a UUID as its 32 hex digits
            list(answer_ids) if dialect == "postgresql" else listed(dialect, [a.hex for a in answer_ids])
        ),
    }
    states: dict[str, StateRow] = {}
    best: dict[str, StateRow] = {}
    members: dict[str, list[StateRow]] = {}
    ids, dues, logged = None, None, None
    for item_id, difficulty, stability, last_review, due, reps, lapses, *window in (
        await session.execute(_memory_query(dialect), parameters)
    ).all():
        if item_id is None:  # the window's row
            ids, dues, logged = window
            continue
        state = StateRow(item_id, difficulty, stability, last_review, due, reps, lapses)
        if item_id in wanted:
            states[item_id] = state
        key = family_of.get(item_id)
        if key is not None:
            members.setdefault(key, []).append(state)
        if key is not None and stronger(state, best.get(key)):
            best[key] = state
    ids = split_ids(ids)
    if dialect == "postgresql":  # float8 epoch seconds: the numbers of `to_epoch` (whole microseconds / 1e6)
        load = DueLoad({item_id: k for k, item_id in enumerate(ids)}, np.array(dues or (), float))
    else:  # SQLite's stored texts, joined
        load = DueLoad.of(dict(zip(ids, map(from_sqlite, split_ids(dues)), strict=True)))
    return AnswerMemory(states, best, load, members, {uuid.UUID(i) for i in split_ids(logged)})


@lru_cache(maxsize=4)
def _memory_query(dialect: str) -> CompoundSelect:
    """`answer_memory`'s read, made once per dialect with every value a parameter: SQLAlchemy's compiled
    cache serves it, where building the expression anew cost a single answer more CPU than the read. Of
    the table, not the mapped class. The answered items' and families' states come as rows; the window's
    due dates as one row of two aggregates, its item id NULL (the ids joined; the dates as an array on
    PostgreSQL): a learner's window holds hundreds of dates, and a row of seven columns for each, built
    and read in Python, cost a single answer more CPU than the rest of the read. That row also says which
    of the batch's answer ids the log holds (joined), so the log is inserted with the writes."""
    table = ReviewState.__table__
    mine = table.c.learner_id == bindparam("learner_id")
    states = select(*(table.c[column.key] for column in STATE_COLUMNS), null(), null(), null()).where(
        mine, among(dialect, table.c.item_id, "item_ids")
    )
    due = table.c.due
    dues = func.array_agg(func.date_part("epoch", due)) if dialect == "postgresql" else joined(dialect, due)
    answers = Answer.__table__.c
    listed_ids = (
        answers.id == any_(bindparam("answer_ids", type_=ARRAY(Uuid)))
        if dialect == "postgresql"
        else answers.id.in_(each("answer_ids"))
    )
    logged = select(joined(dialect, cast(answers.id, String))).where(
        answers.learner_id == bindparam("learner_id"), listed_ids
    )
    window = select(
        *(null() for _ in STATE_COLUMNS), joined(dialect, table.c.item_id), dues, logged.scalar_subquery()
    ).where(mine, due > bindparam("start"), due <= bindparam("end"))
    return union_all(states, window)


_ASSIGNMENTS, _SETS, _MEMBERS = Assignment.__table__.c, ExerciseSet.__table__.c, ClassMember.__table__.c
# Every session asks (most learners are in no class): of the tables, built once, as `states._DUE_ROWS`.
_ASSIGNED = (
    select(_ASSIGNMENTS.created_at, _SETS.item_ids)
    .select_from(
        Assignment.__table__.join(ExerciseSet.__table__, _SETS.id == _ASSIGNMENTS.set_id).join(
            ClassMember.__table__, _MEMBERS.class_id == _ASSIGNMENTS.class_id
        )
    )
    .where(_MEMBERS.learner_id == bindparam("learner_id"), _ASSIGNMENTS.created_at <= bindparam("now"))
    .order_by(_ASSIGNMENTS.due_at)
)


async def open_assignment_items(session: AsyncSession, learner_id: uuid.UUID, now: datetime) -> list[str]:
    """Items of the learner's assignments not answered since they were assigned, soonest due first."""
    rows = (await session.execute(_ASSIGNED, {"learner_id": learner_id, "now": now})).all()
    wanted = {i for _, ids in rows for i in ids}
    if not wanted:
        return []
    last = dict(
        (
            await session.execute(
                select(Answer.item_id, func.max(Answer.answered_at))
                .where(Answer.learner_id == learner_id, Answer.item_id.in_(wanted))
                .group_by(Answer.item_id)
            )
        ).all()
    )
    out: list[str] = []
    for created, ids in rows:
        out += [i for i in ids if i not in out and (last.get(i) is None or last[i] < created)]
    return out
