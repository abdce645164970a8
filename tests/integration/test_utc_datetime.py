"""Every time column reads back as an aware UTC datetime on both backends, whatever the database session's
time zone: on asyncpg the driver's own value is used as it comes (no Python call per value), so this
holds only while asyncpg keeps handing ``timestamptz`` back in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.db.base import UTCDateTime


async def test_times_read_back_in_utc(db: async_sessionmaker[AsyncSession]) -> None:
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # Tallinn, before DST
    async with db() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("SET LOCAL TIME ZONE 'Pacific/Auckland'"))
        read = await session.scalar(select(literal(moment, UTCDateTime)))
    assert read == moment
    assert read.tzinfo is UTC
    assert read.utcoffset() == timedelta(0)


def test_sqlite_texts_read_as_aware_utc() -> None:
    """What SQLite holds (naive UTC text, with or without fractions) and what another tool may have
    written (an offset, a "Z") all read as the same instant in UTC."""
    from learning_api.db.base import from_sqlite

    instant = datetime(2026, 3, 29, 0, 30, 5, 120000, tzinfo=UTC)
    for text_ in (
        "2026-03-29 00:30:05.120000",
        "2026-03-29T00:30:05.12",
        "2026-03-29 02:30:05.120000+02:00",
        "2026-03-28T21:30:05.120-03:00",
        "2026-03-29T00:30:05.120Z",
    ):
        read = from_sqlite(text_)
        assert read == instant and read.tzinfo is UTC, text_
    assert from_sqlite("2026-03-29 00:30:00") == instant.replace(second=0, microsecond=0)
    assert from_sqlite(None) is None
