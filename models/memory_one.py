"""One FSRS-6 review in Python floats: `memory.review` and `memory.next_due` for a single state.

A single answer moves one state. Through the vectorised model that is a dozen small numpy arrays set up,
broadcast and branched over for one element, about twenty times the arithmetic's own cost; here the same
formulas run as scalars, in the same order of operations, so the numbers are those of the vector path
(`tests/unit/models/test_memory_one.py` holds them to 1e-9 on random states and weights, due dates
exactly). Only the request path's case: real weights of shape (21,), days counted in 24-hour periods.
"""

from __future__ import annotations

import math

import numpy as np

from models.memory import (
    AGAIN,
    COLD_START_D_PER_LOGIT,
    COLD_START_MAX_LOGIT,
    COLD_START_REFERENCE,
    COLD_START_S_PER_LOGIT,
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    EASY,
    HARD,
    SECONDS_PER_DAY,
    STABILITY_MIN,
)

Scalars = tuple[float, float, float, int, int, float]  # difficulty, stability, last review, reps, lapses, due


def review_one(
    difficulty: float | None,
    stability: float | None,
    last_review: float | None,
    reps: int,
    lapses: int,
    grade: int,
    now: float,
    weights: np.ndarray,
    desired_retention: float,
    exact_time: bool = False,
    first_p: float | None = None,
    maximum_interval: int = 36_500,
) -> Scalars:
    """The state after ``grade`` at ``now`` (epoch seconds; None: never reviewed) and when it is due
    again: `memory.review` then `memory.next_due`. ``first_p``: the cold start of a first review."""
    if not AGAIN <= grade <= EASY:
        raise ValueError("grades must be 1 (Again) to 4 (Easy)")
    w = weights.tolist()
    days = 0.0 if last_review is None else max(math.floor((now - last_review) / SECONDS_PER_DAY), 0.0)
    same_day = days < 1
    if difficulty is None or stability is None:
        d, s = _first_state(grade, w, first_p)
    elif same_day:
        d, s = _next_difficulty(difficulty, grade, w), _same_day_stability(stability, grade, w)
    else:
        t = (now - last_review) / SECONDS_PER_DAY if exact_time else days  # type: ignore[operator]
        r = (1.0 + (0.9 ** (1.0 / -w[20]) - 1.0) * t / stability) ** -w[20]
        d, s = _next_difficulty(difficulty, grade, w), _next_stability(difficulty, stability, r, grade, w)
    decay = -w[20]
    interval = round(s / (0.9 ** (1.0 / decay) - 1.0) * (desired_retention ** (1.0 / decay) - 1.0))
    interval = min(max(interval, 1), maximum_interval)
    lapse = int(grade == AGAIN and not same_day)
    return d, s, now, reps + 1, lapses + lapse, now + interval * SECONDS_PER_DAY


def _clamp_difficulty(d: float) -> float:
    return min(max(d, DIFFICULTY_MIN), DIFFICULTY_MAX)


def _initial_difficulty(g: int, w: list[float]) -> float:
    return w[4] - math.exp(w[5] * (g - 1)) + 1.0


def _first_state(g: int, w: list[float], first_p: float | None) -> tuple[float, float]:
    d, s = _initial_difficulty(g, w), w[g - 1]
    if first_p is not None:
        gap = 0.0
        if not math.isnan(first_p):
            p = min(max(first_p, 1e-6), 1 - 1e-6)
            ref = math.log(COLD_START_REFERENCE / (1.0 - COLD_START_REFERENCE))
            gap = min(max(math.log(p / (1.0 - p)) - ref, -COLD_START_MAX_LOGIT), COLD_START_MAX_LOGIT)
        d, s = d - COLD_START_D_PER_LOGIT * gap, s * math.exp(COLD_START_S_PER_LOGIT * gap)
    return _clamp_difficulty(d), max(s, STABILITY_MIN)


def _next_difficulty(d: float, g: int, w: list[float]) -> float:
    damped = d + (10.0 - d) * (-w[6] * (g - 3)) / 9.0
    return _clamp_difficulty(w[7] * _initial_difficulty(EASY, w) + (1.0 - w[7]) * damped)


def _same_day_stability(s: float, g: int, w: list[float]) -> float:
    growth = math.exp(w[17] * (g - 3 + w[18])) * s ** -w[19]
    if g > AGAIN and growth < 1.0:
        growth = 1.0
    return max(s * growth, STABILITY_MIN)


def _next_stability(d: float, s: float, r: float, g: int, w: list[float]) -> float:
    lapsed = 1.0 - r
    if g != AGAIN:
        bonus = w[15] if g == HARD else w[16] if g == EASY else 1.0
        recall = (math.exp(lapsed * w[10]) - 1.0) * s ** -w[9] * (11.0 - d) * (bonus * math.exp(w[8]))
        return max((recall + 1.0) * s, STABILITY_MIN)
    forget = ((s + 1.0) ** w[13] - 1.0) * d ** -w[12] * math.exp(lapsed * w[14]) * w[11]
    return max(min(forget, s / math.exp(w[17] * w[18])), STABILITY_MIN)
