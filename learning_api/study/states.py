"""Lean reads of a learner's memory states for the request path.

The session and the progress screen read many states and change none: plain rows of the columns the
memory model needs (the same attribute names as `ReviewState`), without building ORM objects or
registering them in the session's identity map. Writers (answer intake) lock and load real rows.
"""

from __future__ import annotations

import uuid
from collections import namedtuple
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

import msgspec
from sqlalchemy import (
    ColumnElement,
    FunctionElement,
    ScalarSelect,
    Select,
    String,
    all_,
    any_,
    bindparam,
    func,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.locking import dialect_name
from learning_api.db.tables import ReviewState

STATE_COLUMNS = (
    ReviewState.item_id,
    ReviewState.difficulty,
    ReviewState.stability,
    ReviewState.last_review,
    ReviewState.due,
    ReviewState.reps,
    ReviewState.lapses,
)


class State(NamedTuple):
    """A read-only state as the session reads it: the `STATE_COLUMNS`, the names of `ReviewState`. A plain
    tuple, not SQLAlchemy's `Row`: a `Row` answers a named attribute in about 0.9 us, a named tuple in
    0.06, and the session reads seven of each of its 200 candidates' states (1.2 ms of its CPU)."""

    item_id: str
    difficulty: float
    stability: float
    last_review: datetime
    due: datetime
    reps: int
    lapses: int


# A `State` with the family it is the memory of (`strongest_states`)
FamilyState = namedtuple("FamilyState", [*State._fields, "family"])


_AS = tuple.__new__  # a row's values as a named tuple: half the cost of `_make`


async def due_rows(session: AsyncSession, learner_id: uuid.UUID, until: datetime, limit: int) -> list[State]:
    """The learner's states due by ``until``, soonest due first, at most ``limit``: a range of the
    (learner, due) index, so a learner with years of overdue reviews costs no more than one with a few."""
    parameters = {"learner_id": learner_id, "until": until, "limit": limit}
    return [_AS(State, row) for row in await session.execute(_DUE_ROWS, parameters)]


_TABLE = ReviewState.__table__.c
# The request path's reads of the table, not of the mapped class, each built once with its values as
# parameters: an ORM-enabled select runs the ORM's execution steps on every call, and building the
# statement and its cache key anew cost about as much again (the learning bench sends them millions of
# times). The rows have the attribute names of `ReviewState` either way.
_DUE_ROWS = (
    select(*(_TABLE[c.key] for c in STATE_COLUMNS))
    .where(_TABLE.learner_id == bindparam("learner_id"), _TABLE.due <= bindparam("until"))
    .order_by(_TABLE.due, _TABLE.item_id)
    .limit(bindparam("limit"))
)


async def strongest_states(
    session: AsyncSession, learner_id: uuid.UUID, families: Collection[str], passed_over: Collection[str]
) -> dict[str, FamilyState]:
    """Per family among ``families``, the learner's state of the member with the highest stability (the
    family's memory; read-only rows, ties to the lower item id), states of the ``passed_over`` items left
    out. The states carry their family, so this reads the (learner, family, stability) index: on
    PostgreSQL one probe per family takes its first row (a LATERAL ``LIMIT 1``), whatever the learner's
    history; the member lists stay in the worker. The lists go as joined strings the database splits:
    the driver encodes an array element by element. Elsewhere every state of the families comes back
    and `stronger` chooses here."""
    if not families:
        return {}
    dialect = dialect_name(session)
    parameters = {"learner_id": learner_id, "families": listed(dialect, families)}
    parameters["passed_over"] = listed(dialect, passed_over)
    strongest: dict[str, FamilyState] = {}
    for values in await session.execute(_strongest_query(dialect), parameters):
        row = _AS(FamilyState, values)
        if stronger(row, strongest.get(row.family)):
            strongest[row.family] = row
    return strongest


@lru_cache(maxsize=4)
def _strongest_query(dialect: str) -> Select[Any]:
    """`strongest_states`' read, made once per dialect with every value a parameter (SQLAlchemy's
    compiled cache serves it)."""
    table = ReviewState.__table__.c
    columns = [table[c.key] for c in STATE_COLUMNS]
    if dialect != "postgresql":
        return select(*columns, table.family).where(
            table.learner_id == bindparam("learner_id"),
            table.family.in_(each("families")),
            table.item_id.not_in(each("passed_over")),
        )
    wanted = (
        func.unnest(func.string_to_array(bindparam("families", type_=String), _SEP))
        .table_valued("family")
        .render_derived(name="wanted")
    )
    first = (
        select(*columns, table.family)
        .where(
            table.learner_id == bindparam("learner_id"),
            table.family == wanted.c.family,
            table.item_id != all_(func.string_to_array(bindparam("passed_over", type_=String), _SEP)),
        )
        .order_by(table.stability.desc(), table.item_id)
        .limit(1)
        .lateral("first")
    )
    return select(first).select_from(wanted.join(first, true()))


def stronger(state: Any, held: Any | None) -> bool:
    """Whether ``state`` is a stronger memory of its family than ``held`` (None: nothing yet): higher
    stability, ties to the lower item id. The one rule both the session (`strongest_states`) and the
    answer intake (`evidence.answer_memory`) choose a family's memory by."""
    return held is None or (-state.stability, state.item_id) < (-held.stability, held.item_id)


def among(dialect: str, column: ColumnElement[str], name: str) -> ColumnElement[bool]:
    """``column`` among the strings of the list parameter ``name`` (`listed`; empty: none). On PostgreSQL
    ``= ANY`` of the joined string split by the database: the statement stays the same whatever the count,
    so it is prepared once, where an IN list of a thousand parameters was planned afresh on every request
    (hundreds of milliseconds). Elsewhere an IN of the values (`each`)."""
    if dialect == "postgresql":
        return column == any_(func.string_to_array(bindparam(name, type_=String), _SEP))
    return column.in_(each(name))


def each(name: str) -> Select[Any]:
    """SQLite: the strings of the JSON array parameter ``name`` (`listed`) as a subquery. One parameter,
    so the statement's text stays the same whatever the count: SQLite prepares it once (its statement
    cache is keyed by the text) and SQLAlchemy renders no parameter per value, where an expanding IN of a
    hundred ids was a new statement each time (about 2 % of a profiled learning-bench run). SQLite still
    looks the values up one by one in the index."""
    return select(func.json_each(bindparam(name, type_=String)).table_valued("value").c.value)


_SEP = "\x1f"  # the ASCII unit separator: never part of an item id


def joined(dialect: str, column: ColumnElement[str]) -> FunctionElement[str]:
    """An aggregate joining the rows' strings into one (`split_ids` reads it back): a learner with
    thousands of states sends one row, where a row per id cost milliseconds of driver and row-building
    work per thousand."""
    if dialect == "postgresql":
        return func.string_agg(column, _SEP)
    return func.group_concat(column, _SEP)


def split_ids(text: str | None) -> list[str]:
    return text.split(_SEP) if text else []


def listed(dialect: str, values: Collection[str]) -> str:
    """A list parameter of `among`, `matching_ids` and `strongest_states`: on PostgreSQL one joined string
    the database splits (the driver encodes an array element by element), elsewhere a JSON array
    (`each`)."""
    return _SEP.join(values) if dialect == "postgresql" else _JSON.encode(list(values)).decode()


_JSON = msgspec.json.Encoder()


def matching_ids(dialect: str, key: str, name: str) -> ScalarSelect[Any]:
    """The ids of the states of the ``learner_id`` parameter whose column ``key`` holds one of the values
    of the list parameter ``name`` (`listed`), joined (`split_ids`). On PostgreSQL one index range per
    value, each an aggregate the planner keeps apart: with ``= ANY`` it read every state of the learner
    and filtered them against the list, one comparison per value and state in a prepared statement's
    generic plan. Elsewhere an IN of the values (`each`), which SQLite looks up value by value."""
    table = ReviewState.__table__.c
    mine = table.learner_id == bindparam("learner_id")
    if dialect != "postgresql":
        listed_ = table[key].in_(each(name))
        return select(joined(dialect, table.item_id)).where(mine, listed_).scalar_subquery()
    values = (
        func.unnest(func.string_to_array(bindparam(name, type_=String), _SEP))
        .table_valued("value")
        .render_derived(name=f"{name}_values")
    )
    per_value = select(joined(dialect, table.item_id).label("ids")).where(mine, table[key] == values.c.value)
    met = per_value.lateral(f"{name}_met")
    return select(joined(dialect, met.c.ids)).select_from(values.join(met, true())).scalar_subquery()


async def met_among(session: AsyncSession, learner_id: uuid.UUID, item_ids: Collection[str]) -> set[str]:
    """Which of ``item_ids`` the learner has a state of (none asked: no read)."""
    if not item_ids:
        return set()
    dialect = dialect_name(session)
    parameters = {"learner_id": learner_id, "item_ids": listed(dialect, item_ids)}
    return set(await session.scalars(_met_among_query(dialect), parameters))


@lru_cache(maxsize=4)
def _met_among_query(dialect: str) -> Select[Any]:
    """`met_among`'s read, made once per dialect (see `_DUE_ROWS`)."""
    return select(_TABLE.item_id).where(
        _TABLE.learner_id == bindparam("learner_id"), among(dialect, _TABLE.item_id, "item_ids")
    )


def edge_parameters(edges: Sequence[datetime]) -> dict[str, datetime]:
    """The ascending ``edges`` as the parameters `due_before` counts against."""
    return {f"edge_{k}": edge for k, edge in enumerate(edges)}


def due_before(
    due: ColumnElement[datetime], edges: int
) -> tuple[list[ColumnElement[int]], ColumnElement[bool]]:
    """(how many of the rows are due before each of ``edges`` edge parameters (`edge_parameters`, overdue
    included), the condition "due before the last edge"): the week's review load, counted by the database
    beside whatever else the statement reads (the session's met facts, the progress screen's)."""
    edge = [bindparam(f"edge_{k}") for k in range(edges)]
    return [func.count().filter(due < end) for end in edge], due < edge[-1]
