"""Progress API contract: levels, readiness, words known, review load, streak, plan, history."""

from __future__ import annotations

from datetime import date

import msgspec


class SkillLevel(msgspec.Struct):
    skill: str
    level: str
    confidence: float  # posterior probability of that band
    theta: float
    se: float
    answers: int


class Readiness(msgspec.Struct):
    level: str
    exam_date: date | None
    probability: float
    weakest_skill: str
    forecast_date: date | None  # when the probability is expected to reach the pass target
    explanation: str


class DueDay(msgspec.Struct):
    day: date
    reviews: int


class PlanItem(msgspec.Struct):
    focus: str
    why: str


class ProgressOut(msgspec.Struct):
    language: str
    overall_level: str
    levels: list[SkillLevel]
    readiness: Readiness
    words_known: int
    words_seen: int
    due_today: int
    due_next_7_days: list[DueDay]
    streak_days: int
    studied_today: bool
    answers_total: int
    plan: list[PlanItem]


class HistoryDay(msgspec.Struct):
    day: date
    answers: int
    correct: int
    thetas: dict[str, float]


class HistoryOut(msgspec.Struct):
    days: list[HistoryDay]
