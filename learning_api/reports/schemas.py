"""Impact report contract: anonymous figures per month and group, small cells suppressed (null)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec


class GroupBy(StrEnum):
    """How learners are grouped: the county they live in, or the language they study through."""

    REGION = "region"
    LANGUAGE = "language"


class MonthCell(msgspec.Struct, kw_only=True):
    """One group in one calendar month (UTC). ``None`` marks a suppressed figure."""

    month: str  # YYYY-MM
    group: str  # a county, "Tallinn", "abroad", "not said", an instruction language, or "all"
    active_learners: int | None
    study_minutes: int | None
    level_gains: int | None  # learners whose overall CEFR band rose within the month


class CurrentCell(msgspec.Struct, kw_only=True):
    """One group now: where its learners stand (learners with at least one measured skill)."""

    group: str
    learners: int | None
    level_reached: dict[str, int | None]  # A1 … C1 → learners whose overall ability is in that band
    readiness: dict[str, int | None]  # "0-25", "25-50", "50-75", "75-100" → P(pass own target level) in %


class ImpactReport(msgspec.Struct, kw_only=True):
    by: GroupBy
    generated_at: datetime
    months: list[str]
    min_cell: int  # figures of fewer learners than this are suppressed, and so is one more cell beside them
    monthly: list[MonthCell]
    current: list[CurrentCell]
    notes: list[str]
