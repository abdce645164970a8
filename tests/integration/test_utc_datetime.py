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
