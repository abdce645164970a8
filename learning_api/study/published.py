"""Which exercises are live: those in the currently published version of their lesson.

The items table remembers every exercise ever uploaded; the published lesson version in object storage
is the authority on what learners may be given and may answer. Read from the worker's cached bank
(`study.bank`), so asking costs one small read, not a document per lesson.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.storage import ObjectStore
from learning_api.study.bank import Published, published_bank

__all__ = ["Published", "published_exercises"]


async def published_exercises(
    session: AsyncSession, store: ObjectStore, item_ids: Collection[str] | None = None
) -> dict[str, Published]:
    """The published exercises among ``item_ids`` (all of them when None), in course order."""
    return (await published_bank(session, store)).select(item_ids)
