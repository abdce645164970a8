"""Row locks that mean the same on SQLite and PostgreSQL: read rows this transaction is about to change,
so a concurrent request that wants them waits for our commit instead of overwriting it.

PostgreSQL: ``SELECT … FOR UPDATE``. SQLite has no row locks and pysqlite opens a transaction only at the
first write, so a plain read-then-write would read outside any transaction; a write that changes nothing
takes SQLite's one writer lock first (held to commit), and what is read next cannot change under us.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, false, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


def dialect_name(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def insert_for(session: AsyncSession, model: type[Any]) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_nothing`` (both backends speak ON CONFLICT)."""
    return (sqlite.insert if dialect_name(session) == "sqlite" else postgresql.insert)(model)


async def lock_rows(
    session: AsyncSession, model: type[T], *where: ColumnElement[bool], order_by: Any = None
) -> Sequence[T]:
    """The rows of ``model`` matching ``where``, locked to the end of the transaction and freshly read
    (rows already in the session are overwritten with what the database holds now)."""
    if dialect_name(session) == "sqlite":
        await session.execute(delete(model.__table__).where(false()))  # type: ignore[attr-defined]
    query = select(model).where(*where).with_for_update().execution_options(populate_existing=True)
    if order_by is not None:  # one order for every transaction: two lockers never wait on each other
        query = query.order_by(order_by)
    return (await session.scalars(query)).all()
