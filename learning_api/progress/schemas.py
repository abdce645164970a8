"""Progress API contract: levels, readiness, words known, review load, streak, plan, history."""

from __future__ import annotations

from datetime import date

import msgspec

from learning_api.kinds import Language, Level, Skill
from models.exam import ExamPart


class SkillLevel(msgspec.Struct):
    skill: Skill
    level: Level
    confidence: float  # posterior probability of that band
    theta: float
    se: float
    answers: int


class PartReadiness(msgspec.Struct):
    """One exam part: the points out of 25 the learner is expected to score now, and whether the part's
    own skill has evidence (else it is estimated from the other skills, with a wider error)."""

    part: ExamPart
    expected_points: float
    measured: bool
    reason: str | None = None  # why an unmeasured part is only estimated, in the learner's language


class Readiness(msgspec.Struct):
    """Readiness for the target level's exam. ``measurable`` is false where the course has no exercises
    of that level (``reason`` says so; the probabilities and forecasts are then null)."""

    level: Level
    exam_date: date | None
    measurable: bool
    measurable_levels: list[Level]  # exam levels the course can measure readiness for
    probability: float | None
    probability_low: float | None  # an 80 % interval: how far more evidence may move it
    probability_high: float | None
    weakest_skill: Skill | None
    forecast_date: date | None  # when the probability is expected to reach the pass target
    forecast_earliest: date | None  # the growth model's 80 % interval; null: beyond a year
    forecast_latest: date | None
    explanation: str
    reason: str | None = None
    parts: list[PartReadiness] | None = None  # null where readiness is not measurable


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
