"""Progress API contract: levels, readiness, words known, review load, streak, plan, history."""

from __future__ import annotations

from datetime import date

import msgspec

from learning_api.kinds import Language, Level, Skill


class SkillLevel(msgspec.Struct):
    skill: Skill
    level: Level
    confidence: float  # posterior probability of that band
    theta: float
    se: float
    answers: int


class Readiness(msgspec.Struct):
    level: Level
    exam_date: date | None
    probability: float
    weakest_skill: Skill
    forecast_date: date | None  # when the probability is expected to reach the pass target
    explanation: str


class DueDay(msgspec.Struct):
    day: date
    reviews: int


class PlanItem(msgspec.Struct):
    focus: str
    why: str


class ProgressOut(msgspec.Struct):
    language: Language
    overall_level: Level
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
