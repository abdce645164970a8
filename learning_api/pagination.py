"""The one paging rule of every list route: ``?limit=&offset=`` in, ``{items, limit, offset, next_offset}``
out. A mobile client pages by sending ``next_offset`` back until it is null.

Offsets (not keyset cursors) because every list here is short-lived and small per owner (a course's
lessons, a class's members, a learner's assignments); one rule that reads the same everywhere matters
more than surviving concurrent inserts. One row more than asked is read to know whether a next page
exists, so no count query is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar.di import NamedDependency, Provide
from litestar.params import Parameter
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31 - 1  # beyond any list here, and inside what every database takes as OFFSET


class PageQuery(msgspec.Struct, frozen=True):
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def page_query(
    limit: Annotated[
        int, Parameter(ge=1, le=MAX_LIMIT, description=f"most items in the page (1–{MAX_LIMIT})")
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Parameter(ge=0, le=MAX_OFFSET, description="items to skip: the previous page's next_offset")
    ] = 0,
) -> PageQuery:
    return PageQuery(limit=limit, offset=offset)


PAGE_DEPENDENCY = Provide(page_query, sync_to_thread=False)
"""Registered app-wide as ``page``: a handler that takes ``page: Paging`` gets the documented query."""

Paging = NamedDependency[PageQuery]


class Page(msgspec.Struct, Generic[T]):
    """Subclass it per item type (``class CoursePage(Page[CourseOut])``) so OpenAPI names it plainly."""

    items: list[T]
    limit: int
    offset: int
    next_offset: int | None  # null on the last page


def page_of(rows: Sequence[T], page: PageQuery) -> tuple[list[T], int | None]:
    """Cut the ``limit + 1`` rows read into the page and the next offset (None when nothing follows)."""
    if len(rows) > page.limit:
        return list(rows[: page.limit]), page.offset + page.limit
    return list(rows), None


def bounded(stmt: Select[Any], page: PageQuery) -> Select[Any]:
    """The statement limited to the page plus one row (see ``page_of``); it must already be ordered."""
    return stmt.limit(page.limit + 1).offset(page.offset)


async def scalars_page(
    session: AsyncSession, stmt: Select[Any], page: PageQuery
) -> tuple[list[Any], int | None]:
    return page_of(list(await session.scalars(bounded(stmt, page))), page)
