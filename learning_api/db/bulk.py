"""Many rows in one ``INSERT … ON CONFLICT``, the same on SQLite and PostgreSQL.

An offline batch logs 500 answers and moves their memory states. As a Core executemany, SQLAlchemy
processes every parameter of every row in Python (13 per answer) before the driver sees them; on
PostgreSQL the rows go instead as one array per column, unpacked by ``unnest`` in the database: one
statement, a dozen parameters whatever the row count, prepared once. A column holding the same object in
every row (the learner, the time received, a session id left out) goes as one scalar parameter instead of
an array: the driver encodes each array element on its own, and those columns were a third of a batch's
elements; a single row goes without ``unnest`` at all. Several such upserts go in one round trip on
PostgreSQL (`upsert_all`), one statement of ``WITH`` parts.

On SQLite the rows go as one multi-row ``VALUES`` (a few if they are many), handed to the driver as they
are: the executemany built a parameter set per row and called a bind processor per value (without a
profiler this path costs about 5 % less CPU than it did; under one it looked far more). Each column is
processed as one list, by the processor Core would call, so a row is stored as the executemany stored
it; a column holding the same object in every row is one numbered parameter (``?1``) that every row
names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import is_, itemgetter
from typing import Any

import msgspec
import numpy as np
from sqlalchemy import JSON, Dialect, Table, TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.locking import dialect_name


@dataclass(frozen=True, slots=True)
class Upsert:
    """One `insert_rows` call as a value, so several can go in one round trip (`upsert_all`); a
    ``counted`` one has the rows it writes counted (`upsert_all` returns the count). The rows are held
    as columns (each column's values in row order, every list as long), the form both backends send: a
    writer holding objects takes each column out in one C call (`study.repository.answers_insert`),
    where a dict per row, taken apart again here, was about 5 % of a 500-answer batch's CPU samples."""

    table: Table
    columns: dict[str, list[Any]]
    conflict: Sequence[str]
    update: Sequence[str] = ()
    add: Sequence[str] = ()
    counted: bool = False

    @classmethod
    def of_rows(
        cls,
        table: Table,
        rows: Sequence[dict[str, Any]],
        conflict: Sequence[str],
        update: Sequence[str] = (),
        add: Sequence[str] = (),
        counted: bool = False,
    ) -> Upsert:
        """The upsert of ``rows``: dicts with the same keys."""
        columns = {name: list(map(itemgetter(name), rows)) for name in (rows[0] if rows else ())}
        return cls(table, columns, conflict, update, add, counted)

    @property
    def size(self) -> int:
        """How many rows."""
        return len(next(iter(self.columns.values()), ()))


async def insert_rows(
    session: AsyncSession,
    table: Table,
    rows: list[dict[str, Any]],
    conflict: Sequence[str],
    update: Sequence[str] = (),
    returning: str | None = None,
    add: Sequence[str] = (),
) -> list[Any]:
    """Insert ``rows`` (dicts with the same keys) in their order; a row whose ``conflict`` columns are
    taken updates the ``update`` columns of the one there and adds its ``add`` columns to that row's (a
    counter), or is skipped when there are neither. Returns the ``returning`` column of the rows inserted
    or updated (nothing when None). Two rows of one call must not share their ``conflict`` columns."""
    return await _insert(session, Upsert.of_rows(table, rows, conflict, update, add), returning)


async def _insert(session: AsyncSession, upsert: Upsert, returning: str | None) -> list[Any]:
    """`insert_rows` of an `Upsert`."""
    if not upsert.size:
        return []
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        return await _values(session, dialect, upsert, returning)
    shape, parameters = _shaped(dialect, upsert, "")
    result = await session.execute(_single(dialect, shape, returning), parameters)
    return list(result.scalars()) if returning else []


async def upsert_all(session: AsyncSession, upserts: Sequence[Upsert]) -> int:
    """Every upsert, in order; on PostgreSQL in one statement (each a data-modifying ``WITH`` part), so
    the answer intake writes its answers, states, abilities, snapshot and day count in one round trip
    instead of five. The parts must touch different rows (one statement sees one snapshot). Returns how
    many rows the ``counted`` upserts inserted or updated (a row skipped as there already is not)."""
    upserts = [upsert for upsert in upserts if upsert.size]
    if dialect_name(session) != "postgresql" or len(upserts) < 2:
        written = 0
        for u in upserts:
            written += len(await _insert(session, u, u.conflict[0] if u.counted else None))
        return written
    dialect = session.get_bind().dialect
    shapes, parameters = [], {}
    for k, upsert in enumerate(upserts):
        shape, values = _shaped(dialect, upsert, f"p{k}_")
        shapes.append(shape)
        parameters.update(values)
    counted = tuple(u.counted for u in upserts)
    return int((await session.execute(_together(dialect, tuple(shapes), counted), parameters)).scalar() or 0)


Shape = tuple[Table, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _split(dialect: Dialect, upsert: Upsert) -> tuple[Shape, list[Any], list[list[Any]]]:
    """The statement's shape (what its SQL is cached by), the processed value of each column holding the
    same object in every row (sent once), and the processed values of each other column."""
    table, values = upsert.table, upsert.columns
    # each column looked over in C (map), not in a Python loop per value
    shared = tuple(name for name, column in values.items() if all(map(is_, column, repeat(column[0]))))
    columns = tuple(name for name in values if name not in shared)
    scalars = []
    for name in shared:
        process = _processor(dialect, table, name)
        scalars.append(process(values[name][0]) if process else values[name][0])
    arrays = []
    for name in columns:
        process = _processor(dialect, table, name)
        arrays.append(list(map(process, values[name])) if process else values[name])
    shape = (table, shared, columns, tuple(upsert.conflict), tuple(upsert.update), tuple(upsert.add))
    return shape, scalars, arrays


def _shaped(dialect: Dialect, upsert: Upsert, prefix: str) -> tuple[Shape, dict[str, Any]]:
    """`_split` for `_unnest`: the shared values as scalars, the others as one array per column, named
    with ``prefix``."""
    shape, scalars, arrays = _split(dialect, upsert)
    parameters = {f"{prefix}s{k}": value for k, value in enumerate(scalars)}
    parameters.update({f"{prefix}a{k}": values for k, values in enumerate(arrays)})
    return shape, parameters


# SQLite's default bound on one statement's parameters since 3.32 (a build may allow more: Debian's
# 250000); RETURNING needs 3.35, so every SQLite this module runs on takes this many.
_MAX_PARAMETERS = 32766


async def _values(
    session: AsyncSession, dialect: Dialect, upsert: Upsert, returning: str | None
) -> list[Any]:
    """`insert_rows` on SQLite: the rows in order, as many to a statement as its parameters allow, sent
    to the driver as they are (SQLAlchemy neither builds nor processes a parameter set per row)."""
    shape, scalars, arrays = _split(dialect, upsert)
    rows = list(zip(*arrays, strict=True)) or [()] * upsert.size
    size = (_MAX_PARAMETERS - len(scalars)) // max(len(arrays), 1)
    connection = await session.connection()
    written: list[Any] = []
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        sql = _many(dialect, shape, returning, len(chunk))
        result = await connection.exec_driver_sql(sql, (*scalars, *chain.from_iterable(chunk)))
        if returning:
            written.extend(result.scalars())
    return written


@lru_cache(maxsize=256)
def _processor(dialect: Dialect, table: Table, name: str) -> Any:
    """The column's bind processor, made once (SQLAlchemy makes it anew on each ask, a few percent of a
    single answer's CPU time). On SQLite the dialect's, the one Core calls, so the stored text is what an
    executemany stored (a time as UTC text without its offset, a UUID as 32 hex digits, JSON by the
    standard library's encoder). On PostgreSQL the type's own (e.g. aware UTC times), as the ``unnest``
    casts take Python values, and JSON made text by msgspec: the standard library's encoder took about
    6 % of a 500-answer batch's CPU time (each answer's feedback)."""
    column_type = table.c[name].type
    if dialect.name != "postgresql":
        return column_type.dialect_impl(dialect).bind_processor(dialect)
    return _json_text if isinstance(column_type, JSON) else column_type.bind_processor(dialect)


def _plain(value: Any) -> Any:
    """numpy scalars as the Python numbers they hold (the standard library's encoder took float64)."""
    if isinstance(value, np.generic):
        return value.item()
    raise NotImplementedError(f"no JSON for {type(value).__name__}")


_JSON = msgspec.json.Encoder(enc_hook=_plain)


def _json_text(value: Any) -> str:
    return _JSON.encode(value).decode()


@lru_cache(maxsize=256)
def _many(dialect: Dialect, shape: Shape, returning: str | None, count: int) -> str:
    """The SQLite statement for ``count`` rows of one shape: ``?1`` … name the shared values, every row
    then its own ``?`` (numbered on from the highest so far)."""
    table, shared, columns, conflict, update, add = shape
    row = "(" + ", ".join([*(f"?{k}" for k in range(1, len(shared) + 1)), *("?" * len(columns))]) + ")"
    source = "VALUES " + ", ".join([row] * count)
    return _upsert(dialect, table, shared + columns, source, conflict, update, add, returning)


@lru_cache(maxsize=64)
def _single(dialect: Dialect, shape: Shape, returning: str | None) -> TextClause:
    """`insert_rows`' statement for one shape of call: the same text each time, so the driver prepares it
    once (and SQLAlchemy parses it once)."""
    return text(_unnest(dialect, *shape, returning, ""))


@lru_cache(maxsize=64)
def _together(dialect: Dialect, shapes: tuple[Shape, ...], counted: tuple[bool, ...]) -> TextClause:
    """`upsert_all`'s statement: every part a ``WITH`` part, the counted ones returning a row per row
    written, and the main statement their count."""
    parts = [
        _unnest(dialect, *shape, shape[3][0] if count else None, f"p{k}_")  # its first conflict column
        for k, (shape, count) in enumerate(zip(shapes, counted, strict=True))
    ]
    head = ", ".join(f"w{k} AS ({part})" for k, part in enumerate(parts))
    written = " + ".join(f"(SELECT count(*) FROM w{k})" for k, count in enumerate(counted) if count) or "0"
    return text(f"WITH {head} SELECT {written}")


def _unnest(
    dialect: Dialect,
    table: Table,
    shared: tuple[str, ...],
    columns: tuple[str, ...],
    conflict: tuple[str, ...],
    update: tuple[str, ...],
    add: tuple[str, ...],
    returning: str | None,
    prefix: str,
) -> str:
    """The SQL of one upsert, its parameters named with ``prefix``."""
    json = {name for name in shared + columns if isinstance(table.c[name].type, JSON)}

    def typed(name: str, parameter: str, suffix: str) -> str:
        """JSON is sent as text (its bind processor serialises) and cast back in the SELECT."""
        sql_type = "TEXT" if name in json else table.c[name].type.compile(dialect=dialect)
        return f"CAST({parameter} AS {sql_type}{suffix})"

    arrays = [typed(name, f":{prefix}a{k}", "[]") for k, name in enumerate(columns)]
    selected = [
        *(typed(name, f":{prefix}s{k}", "") for k, name in enumerate(shared)),
        *(f"c{k}" for k in range(len(columns))),
    ]
    selected = [
        f"CAST({e} AS JSON)" if n in json else e for n, e in zip(shared + columns, selected, strict=True)
    ]
    source = (
        f" FROM unnest({', '.join(arrays)}) AS t({', '.join(f'c{k}' for k in range(len(columns)))})"
        if columns
        else ""
    )
    select = f"SELECT {', '.join(selected)}{source}"
    return _upsert(dialect, table, shared + columns, select, conflict, update, add, returning)


def _upsert(
    dialect: Dialect,
    table: Table,
    names: tuple[str, ...],
    source: str,
    conflict: tuple[str, ...],
    update: tuple[str, ...],
    add: tuple[str, ...],
    returning: str | None,
) -> str:
    """``INSERT`` of the ``names`` columns from ``source`` (a ``SELECT`` or ``VALUES``) ``ON CONFLICT``:
    the one statement both backends speak."""
    quote = dialect.identifier_preparer.quote
    changes = [
        *(f"{quote(c)} = excluded.{quote(c)}" for c in update),
        *(f"{quote(c)} = {quote(table.name)}.{quote(c)} + excluded.{quote(c)}" for c in add),
    ]
    action = "DO UPDATE SET " + ", ".join(changes) if changes else "DO NOTHING"
    return (
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) {source} "
        f"ON CONFLICT ({', '.join(map(quote, conflict))}) {action}"
        + (f" RETURNING {quote(returning)}" if returning else "")
    )
