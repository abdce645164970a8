"""Readiness for the tasemeeksam: probability of passing at a level, the skill holding it back, and when.

The exam has four parts of 25 points (listening, reading, writing, speaking); it is passed with >= 60 of
100 points and no part at 0. Model, per part:
- the part draws on skills: mostly its own, plus vocabulary and grammar (PART_WEIGHTS). Each skill's theta
  is taken relative to that skill's cut point for the level, so skills on different scales combine;
- speaking has no exercises in the app: it is proxied from writing and listening with an extra
  SPEAKING_PROXY_SD of error, and the result says so;
- a part score is Binomial(25, p) with p = sigmoid(EXAM_SLOPE * distance + logit(0.6)): a learner right
  at the level's cut expects 60 %, the pass mark. EXAM_SLOPE is an assumption until real exam results can
  calibrate it.
Theta uncertainty is integrated by Monte Carlo over the skills' posteriors (normal, mean theta, SD se);
given the draws, the pass probability is exact (convolution of the four part distributions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import binom

from models.ability import CEFR_LEVELS, SKILLS

EXAM_PARTS: tuple[str, ...] = ("listening", "reading", "writing", "speaking")
PART_POINTS, PASS_TOTAL = 25, 60
EXAM_SLOPE = 1.5
PASS_SHARE_AT_CUT = 0.6
SPEAKING_PROXY_SD = 0.5
# rows: exam parts; columns: SKILLS (vocabulary, grammar, reading, listening, writing); rows sum to 1
PART_WEIGHTS = np.array(
    [
        [0.15, 0.15, 0.00, 0.70, 0.00],
        [0.15, 0.15, 0.70, 0.00, 0.00],
        [0.15, 0.15, 0.00, 0.00, 0.70],
        [0.15, 0.15, 0.00, 0.35, 0.35],
    ]
)
_PROXY_PART = EXAM_PARTS.index("speaking")
_SKILL_BUMP = 0.25  # theta step used to ask "which skill would help most"


@dataclass(frozen=True)
class Readiness:
    level: str
    probability: float
    weakest_skill: str
    skill_gains: list[float]  # rise in pass probability per +0.25 theta in each skill (SKILLS order)
    expected_part_points: list[float]  # EXAM_PARTS order
    forecast_date: date | None
    notes: list[str]


def pass_probability_given_parts(part_p: ArrayLike) -> NDArray[np.float64]:
    """Exact P(total >= 60 and no part at 0), parts independent Binomial(25, p); (..., 4) -> (...)."""
    p = np.clip(np.asarray(part_p, float), 0.0, 1.0)
    points = np.arange(PART_POINTS + 1)
    pmf = binom.pmf(points, PART_POINTS, p[..., None])  # (..., 4, 26)
    pmf[..., 0] = 0.0  # a part at 0 fails the exam whatever the total
    total = pmf[..., 0, :]
    for part in range(1, p.shape[-1]):
        total = _convolve_last(total, pmf[..., part, :])
    return total[..., PASS_TOTAL:].sum(axis=-1)


def pass_probability(
    theta: ArrayLike,
    se: ArrayLike,
    level: int,
    cuts: ArrayLike,
    draws: ArrayLike,
    speaking_theta: ArrayLike | None = None,
) -> float:
    """P(pass at `level`) with skill thetas ~ N(theta, se), integrated over the given standard-normal
    `draws` of shape (n, len(SKILLS) + 1) (the last column drives the speaking proxy's extra error).
    `speaking_theta` (default `theta`) feeds the speaking proxy, so callers can hold it still."""
    parts = _part_success(theta, se, level, cuts, draws, speaking_theta)
    return float(pass_probability_given_parts(parts).mean())


def assess_readiness(
    theta: ArrayLike,
    se: ArrayLike,
    level: int,
    cuts: ArrayLike,
    rng: np.random.Generator,
    now: datetime,
    history_times: list[datetime] | None = None,
    history_theta: ArrayLike | None = None,
    target_probability: float = 0.8,
    horizon_days: int = 365,
    n_draws: int = 2000,
) -> Readiness:
    """Everything the readiness screen shows.

    `theta`, `se`: current per-skill EAP and standard error (SKILLS order). `cuts`: CEFR cut points, either
    one row of 4 shared by all skills or one row per skill. `history_times` / `history_theta` (n, 5): past
    per-skill estimates for the growth trend; the forecast is the first day the projected pass probability
    reaches `target_probability` (None if it does not within `horizon_days` or there is no rise).
    """
    theta_, se_ = _check_skills(theta, "theta"), _check_skills(se, "se")
    draws = rng.standard_normal((n_draws, len(SKILLS) + 1))
    prob = pass_probability(theta_, se_, level, cuts, draws)
    # the speaking proxy is held still: drilling listening is no evidence of speaking better, and letting
    # it move would make listening and writing count twice
    bumps = _SKILL_BUMP * np.eye(len(SKILLS))
    gains = [pass_probability(theta_ + bump, se_, level, cuts, draws, theta_) - prob for bump in bumps]
    parts = _part_success(theta_, se_, level, cuts, draws).mean(axis=0) * PART_POINTS
    notes = [
        "speaking has no exercises yet: estimated from writing and listening with a wider error",
    ]
    forecast = None
    if prob >= target_probability:
        forecast = now.date()
    elif history_times is not None and history_theta is not None:
        slope = growth_per_day(history_times, history_theta)
        forecast = _first_ready_day(
            theta_, se_, slope, level, cuts, draws, now, target_probability, horizon_days
        )
        if forecast is None:
            notes.append(
                f"no pass at p >= {target_probability:g} within {horizon_days} days at the current trend"
            )
    return Readiness(
        level=CEFR_LEVELS[level],
        probability=prob,
        weakest_skill=SKILLS[int(np.argmax(gains))],
        skill_gains=gains,
        expected_part_points=parts.tolist(),
        forecast_date=forecast,
        notes=notes,
    )


def growth_per_day(times: list[datetime], theta_history: ArrayLike) -> NDArray[np.float64]:
    """Least-squares theta slope per day for each skill, floored at 0 (no forecast from decline)."""
    history = np.asarray(theta_history, float)
    if len(times) != len(history) or history.ndim != 2 or history.shape[1] != len(SKILLS):
        raise ValueError(f"theta_history must be (len(times), {len(SKILLS)})")
    if len(times) < 2:
        return np.zeros(len(SKILLS))
    days = np.array([(t - times[0]).total_seconds() / 86400.0 for t in times])
    centred = days - days.mean()
    denom = float(centred @ centred)
    if denom == 0.0:
        return np.zeros(len(SKILLS))
    return np.maximum(centred @ (history - history.mean(axis=0)) / denom, 0.0)


def _first_ready_day(
    theta: NDArray[np.float64],
    se: NDArray[np.float64],
    slope: NDArray[np.float64],
    level: int,
    cuts: ArrayLike,
    draws: NDArray[np.float64],
    now: datetime,
    target: float,
    horizon_days: int,
) -> date | None:
    """Bisection on days: with non-negative slopes the projected pass probability only rises."""

    def ready(day: int) -> bool:
        return pass_probability(theta + slope * day, se, level, cuts, draws) >= target

    if not slope.any() or not ready(horizon_days):
        return None
    lo, hi = 0, horizon_days
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ready(mid) else (mid, hi)
    return (now + timedelta(days=hi)).date()


def _part_success(
    theta: ArrayLike,
    se: ArrayLike,
    level: int,
    cuts: ArrayLike,
    draws: ArrayLike,
    speaking_theta: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Per-draw success probability of each exam part, shape (n_draws, 4)."""
    if not 1 <= level < len(CEFR_LEVELS):
        raise ValueError(f"the tasemeeksam is held at A2 to C1 (levels 1-4), got {level}")
    theta_, se_ = _check_skills(theta, "theta"), _check_skills(se, "se")
    cut_rows = np.broadcast_to(np.asarray(cuts, float), (len(SKILLS), len(CEFR_LEVELS) - 1))
    z = np.asarray(draws, float)
    noise = se_ * z[:, : len(SKILLS)]
    distance = (theta_ + noise - cut_rows[:, level - 1]) @ PART_WEIGHTS.T
    if speaking_theta is not None:
        spoken = _check_skills(speaking_theta, "speaking_theta") + noise - cut_rows[:, level - 1]
        distance[:, _PROXY_PART] = spoken @ PART_WEIGHTS[_PROXY_PART]
    distance[:, _PROXY_PART] += SPEAKING_PROXY_SD * z[:, len(SKILLS)]
    logit_at_cut = np.log(PASS_SHARE_AT_CUT / (1.0 - PASS_SHARE_AT_CUT))
    return 1.0 / (1.0 + np.exp(-(EXAM_SLOPE * distance + logit_at_cut)))


def _check_skills(values: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = np.asarray(values, float)
    if arr.shape != (len(SKILLS),):
        raise ValueError(f"{name} must have one value per skill {SKILLS}")
    return arr


def _convolve_last(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Convolution along the last axis, batched over the leading axes."""
    out = np.zeros((*x.shape[:-1], x.shape[-1] + y.shape[-1] - 1))
    for k in range(y.shape[-1]):
        out[..., k : k + x.shape[-1]] += x * y[..., k : k + 1]
    return out
