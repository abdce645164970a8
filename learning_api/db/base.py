"""Declarative base with stable constraint names, so migrations diff cleanly on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both backends: SQLite stores naive values and would hand them back naive."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given: pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else _as_utc(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """None for asyncpg, which already hands every ``timestamptz`` back as an aware UTC datetime
        (whatever the session's time zone): the answer intake reads a few hundred due dates per answer,
        and a Python call per value was a tenth of a single answer's CPU time."""
        if dialect.driver == "asyncpg":
            return None
        if dialect.name == "sqlite":
            return from_sqlite
        return super().result_processor(dialect, coltype)


def from_sqlite(value: str | None) -> datetime | None:
    """SQLite's stored text as an aware UTC datetime in one call per value, where the type's processor
    made two (the dialect's parse, then `process_result_value`): the learning bench reads millions. The
    stored text is a naive UTC time, parsed with its offset appended: ``replace(tzinfo=UTC)`` on the
    parsed value took three times the parse itself. A text that carries an offset already (written by
    another tool) fails that parse and is converted instead."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:
        return _as_utc(datetime.fromisoformat(value))


def _as_utc(moment: datetime) -> datetime:
    """A naive value is UTC (SQLite keeps no offset); an aware one is converted."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
