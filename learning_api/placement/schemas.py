"""Placement API contract: start, next item, answer, result."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from learning_api.catalog.schemas import ShownExercise
from learning_api.kinds import Level, Skill, Verdict


class PlacementAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    item_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    response: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    latency_ms: Annotated[int, msgspec.Meta(ge=0, le=3_600_000)] | None = None


class SkillResult(msgspec.Struct):
    skill: Skill
    level: Level
    confidence: float
    theta: float
    se: float
    items: int
    at_least: bool = False  # above the bank's top level more likely than in it: "at least <level>"


class PlacementResultOut(msgspec.Struct):
    level: Level
    confidence: float
    band_probabilities: dict[str, float]
    theta: float
    se: float
    items: int
    stop_reason: str | None
    skills: list[SkillResult]
    at_least: bool = False  # the bank has no items above `level` and the learner is likely above it


class PlacementOut(msgspec.Struct, omit_defaults=True):
    id: uuid.UUID
    status: Literal["running", "finished", "skipped", "abandoned"]  # abandoned: a newer test was started
    started_at: datetime
    answered: int
    next: ShownExercise | None = None  # the exercise to answer now, rendered without its answer
    result: PlacementResultOut | None = None


class PlacementAnswerOut(msgspec.Struct, omit_defaults=True):
    verdict: Verdict
    correct: bool
    feedback: str
    expected: str
    placement: PlacementOut
