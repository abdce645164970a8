"""Many rows in one ``INSERT … ON CONFLICT``, the same on SQLite and PostgreSQL.

An offline batch logs 500 answers and moves their memory states. As a Core executemany, SQLAlchemy
processes every parameter of every row in Python (13 per answer) before the driver sees them; on
PostgreSQL the rows go instead as one array per column, unpacked by ``unnest`` in the database: one
statement, a dozen parameters whatever the row count, prepared once. SQLite keeps the executemany.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Dialect, Table, TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.locking import dialect_name, insert_for


async def insert_rows(
    session: AsyncSession,
    table: Table,
    rows: list[dict[str, Any]],
    conflict: Sequence[str],
    update: Sequence[str] = (),
    returning: str | None = None,
) -> list[Any]:
    """Insert ``rows`` (dicts with the same keys) in their order; a row whose ``conflict`` columns are
    taken updates the ``update`` columns of the one there, or is skipped when there are none. Returns the
    ``returning`` column of the rows inserted or updated (nothing when None)."""
    if not rows:
        return []
    if dialect_name(session) != "postgresql":
        statement = insert_for(session, table)
        statement = (
            statement.on_conflict_do_update(
                index_elements=list(conflict), set_={c: statement.excluded[c] for c in update}
            )
            if update
            else statement.on_conflict_do_nothing(index_elements=list(conflict))
        )
        if returning is None:
            await session.execute(statement, rows)
            return []
        return list(await session.scalars(statement.returning(table.c[returning]), rows))
    dialect = session.get_bind().dialect
    columns = tuple(rows[0])
    arrays: dict[str, list[Any]] = {}
    for k, name in enumerate(columns):
        process = table.c[name].type.bind_processor(dialect)  # e.g. aware UTC times, JSON to text
        values = [row[name] for row in rows]
        arrays[f"a{k}"] = [process(v) for v in values] if process else values
    statement = _unnest(dialect, table, columns, tuple(conflict), tuple(update), returning)
    result = await session.execute(statement, arrays)
    return list(result.scalars()) if returning else []


@lru_cache(maxsize=64)
def _unnest(
    dialect: Dialect,
    table: Table,
    columns: tuple[str, ...],
    conflict: tuple[str, ...],
    update: tuple[str, ...],
    returning: str | None,
) -> TextClause:
    """The statement for one shape of call: the same text each time, so the driver prepares it once."""
    quote = dialect.identifier_preparer.quote
    arrays, selected = [], []
    for k, name in enumerate(columns):
        column_type = table.c[name].type
        json = isinstance(column_type, JSON)  # sent as text (its bind processor serialises), cast back
        arrays.append(f"CAST(:a{k} AS {'TEXT' if json else column_type.compile(dialect=dialect)}[])")
        selected.append(f"CAST(c{k} AS JSON)" if json else f"c{k}")
    action = (
        "DO UPDATE SET " + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in update)
        if update
        else "DO NOTHING"
    )
    return text(
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
        f"SELECT {', '.join(selected)} FROM unnest({', '.join(arrays)}) "
        f"AS t({', '.join(f'c{k}' for k in range(len(columns)))}) "
        f"ON CONFLICT ({', '.join(map(quote, conflict))}) {action}"
        + (f" RETURNING {quote(returning)}" if returning else "")
    )
