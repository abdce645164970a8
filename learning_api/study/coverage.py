"""What a learner has met, read only as far as the session's rules look, and the coming week's reviews.

The session asks whether the learner has met an item for a few rules: new material skips met items and,
in adaptive order, items of a remembered family; a due family brings in its first unmet member; an
assigned item not met yet is required new material. Reading every met id for that grew with the history
on both sides: a 5,000-state learner sent 5,000 ids each request, and the worker split them, mapped them
to families and marked them on the course.

In adaptive order an item of a family is never new material once its family is remembered, and meeting
a studied item makes its family remembered; so new material needs the learner's families and the met
items of no family only. The families come from the states' family column, grouped by the database over
its (learner, family) index: one row per family, not per state, leaves it. The other questions are about
known ids (the due families' members, the assigned items), asked by id. Course order skips every met
item, so there every met id is read.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.locking import dialect_name
from learning_api.db.tables import ReviewState
from learning_api.study.states import due_before, edge_parameters, joined, listed, matching_ids, split_ids


@dataclass(frozen=True)
class Met:
    items: set[str]  # met item ids: every one, or those `read_met` was asked about (and of no family)
    families: set[str]  # the families of the learner's states (adaptive order; else empty)
    unruled: list[str]  # the met ids no family rule skips: every one in course order; else of no family
    due_today: int  # states due by the end of today, overdue included (whatever the item)
    week: list[int]  # states due on each of the days after today (the planner's upcoming load)


async def read_met(
    session: AsyncSession,
    learner_id: uuid.UUID,
    every: bool,
    families: Collection[str],
    item_ids: Collection[str],
    edges: Sequence[datetime],
) -> Met:
    """In one round trip: the met items (all of them if ``every``; else those of no family, of the
    ``families`` and among ``item_ids``, with the learner's families), how many states fall due before
    the first of the ascending ``edges`` (the end of today) and between each pair of them (the
    following days)."""
    dialect = dialect_name(session)
    parameters: dict[str, Any] = {"learner_id": learner_id, **edge_parameters(edges)}
    parameters |= {"families": listed(dialect, families), "item_ids": listed(dialect, item_ids)}
    row = (await session.execute(_met_query(dialect, every, len(edges)), parameters)).one()
    ids, keys, counts = [split_ids(part) for part in row[:3]], row[3], [int(n or 0) for n in row[4:]]
    week = [later - earlier for earlier, later in itertools.pairwise(counts)]
    return Met({i for part in ids for i in part}, set(split_ids(keys)), ids[0], counts[0], week)


@lru_cache(maxsize=8)
def _met_query(dialect: str, every: bool, edges: int) -> Select[Any]:
    """`read_met`'s statement, made once per shape with every value a parameter. The due counts are one
    range of the (learner, due) index, counted by the database (the overdue ones in the same range: a
    second round trip counted them when more were due than the session reads); the ids and the families
    are scalar subqueries beside them, each its own index range."""
    table = ReviewState.__table__.c
    learner = bindparam("learner_id")
    mine = table.learner_id == learner
    nothing: ColumnElement[Any] = null()
    if every:  # course order skips no family
        ids = [select(joined(dialect, table.item_id)).where(mine).scalar_subquery(), nothing, nothing]
        keys = nothing
    else:
        no_family = select(joined(dialect, table.item_id)).where(mine, table.family.is_(None))
        of_families = matching_ids(dialect, "family", "families")
        ids = [no_family.scalar_subquery(), of_families, matching_ids(dialect, "item_id", "item_ids")]
        families = select(table.family).where(mine, table.family.is_not(None)).group_by(table.family)
        keys = select(joined(dialect, families.subquery().c.family)).scalar_subquery()
    due = ReviewState.__table__.alias("week").c  # its own name: the subqueries above stay uncorrelated
    counts, within = due_before(due.due, edges)
    return select(*ids, keys, *counts).where(due.learner_id == learner, within)


def doubtful(met: Met, unstudied: Mapping[str, Collection[str]]) -> set[str]:
    """The learner's families that hold items sessions do not offer (`Bank.unstudied`): the learner may
    have met only those, and a family is remembered by a studied member's state. Which of them is, is
    `strongest_states` leaving those items out (read with the due families' memory, in the same probe)."""
    return {key for key in met.families if key in unstudied}


def remembered(met: Met, doubts: set[str], strongest: Mapping[str, Any]) -> set[str]:
    """The families the learner has memory of: a state of a studied member (see `doubtful`)."""
    return (met.families - doubts) | {key for key in doubts if key in strongest}
