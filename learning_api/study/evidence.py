"""The small indexed reads the study rules need beyond a learner's due queue: the memory of item
families (their members' states), the teacher's open assignments, and the review load of the coming days."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.locking import dialect_name
from learning_api.db.tables import Answer, Assignment, ClassMember, ExerciseSet, ReviewState
from learning_api.study.repository import StateRow
from learning_api.study.states import STATE_COLUMNS, among, listed, stronger


@dataclass(frozen=True)
class AnswerMemory:
    """What the answer intake reads of a learner's memory before applying a batch."""

    states: dict[str, StateRow]  # the answered items' own states
    families: dict[str, StateRow]  # per family, the member state with the highest stability
    dues: dict[str, datetime]  # due dates in the load-smoothing window
    members: dict[str, list[StateRow]]  # per family, every member state (a right answer moves them on)


async def answer_memory(
    session: AsyncSession,
    learner_id: uuid.UUID,
    items: Collection[str],
    members: Mapping[str, Collection[str]],
    start: datetime,
    days: int,
) -> AnswerMemory:
    """The states of ``items``, the memory of the given families (their member item ids: the worker's bank
    knows them, so no scan of the items table) and the due dates in the ``days`` after ``start``, in one
    read over the review states' primary key and (learner, due) index. A state read for two reasons is one
    object: an answered item that is also its family's memory moves as the family's memory."""
    family_of = {item_id: key for key, ids in members.items() for item_id in ids}
    wanted = set(items)
    end = start + timedelta(days=days)
    keys = wanted | family_of.keys()
    dialect = dialect_name(session)
    parameters = {"learner_id": learner_id, "item_ids": listed(dialect, keys), "start": start, "end": end}
    # fetched at once: iterating the result fetched row by row, a call per row of a window of hundreds
    rows = (await session.execute(_memory_query(dialect), parameters)).all()
    states: dict[str, StateRow] = {}
    best: dict[str, StateRow] = {}
    dues: dict[str, datetime] = {}
    members: dict[str, list[StateRow]] = {}
    for item_id, difficulty, stability, last_review, due, reps, lapses in rows:
        if start < due <= end:
            dues[item_id] = due
        if item_id not in keys:
            continue
        state = StateRow(item_id, difficulty, stability, last_review, due, reps, lapses)
        if item_id in wanted:
            states[item_id] = state
        key = family_of.get(item_id)
        if key is not None:
            members.setdefault(key, []).append(state)
        if key is not None and stronger(state, best.get(key)):
            best[key] = state
    return AnswerMemory(states, best, dues, members)


@lru_cache(maxsize=4)
def _memory_query(dialect: str) -> Select[Any]:
    """`answer_memory`'s read, made once per dialect with every value a parameter: SQLAlchemy's compiled
    cache serves it, where building the expression anew cost a single answer more CPU than the read. Of
    the table, not the mapped class: a learner's window holds hundreds of rows, and the ORM's row
    loading cost more than the rows' use."""
    table = ReviewState.__table__
    window = and_(table.c.due > bindparam("start"), table.c.due <= bindparam("end"))
    answered = among(dialect, table.c.item_id, "item_ids")
    return select(*(table.c[column.key] for column in STATE_COLUMNS)).where(
        table.c.learner_id == bindparam("learner_id"), or_(answered, window)
    )


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
