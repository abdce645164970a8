"""Calendar parts of a UTC timestamp in SQL, so grouping by day or month happens in the database on both
backends (SQLite keeps UTC text; PostgreSQL's own functions would use the session's time zone)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, func
from sqlalchemy.sql.elements import ColumnElement


def utc_text(
    column: ColumnElement[datetime], dialect: str, sqlite_format: str, pg_format: str
) -> ColumnElement[str]:
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), pg_format)
    return func.strftime(sqlite_format, column, type_=String)


def utc_day(column: ColumnElement[datetime], dialect: str) -> ColumnElement[str]:
    """YYYY-MM-DD."""
    return utc_text(column, dialect, "%Y-%m-%d", "YYYY-MM-DD")


def utc_month(column: ColumnElement[datetime], dialect: str) -> ColumnElement[str]:
    """YYYY-MM."""
    return utc_text(column, dialect, "%Y-%m", "YYYY-MM")
