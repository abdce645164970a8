"""Readiness for the tasemeeksam: probability of passing at a level, the skill holding it back, and when.

The exam has four parts of 25 points (listening, reading, writing, speaking); it is passed with >= 60 of
100 points and no part at 0. Model, per part:
- the part draws on skills: mostly its own, plus vocabulary and grammar (PART_WEIGHTS). Each skill's theta
  is taken relative to that skill's cut point for the level, so skills on different scales combine;
- the skills' errors are correlated (SKILL_ERROR_CORRELATION): one person's skills move together;
- speaking, until a person has scored the learner's speaking (the speaking skill, outside SKILLS, then
  has evidence: `speaking`), is proxied from writing and listening with an extra SPEAKING_PROXY_SD of
  error, and the result says so; once measured it is a part like the others;
- a part score is Binomial(25, p) with p = sigmoid(EXAM_SLOPE * distance + logit(0.6)): a learner right
  at the level's cut expects 60 %, the pass mark. EXAM_SLOPE is an assumption until real exam results can
  calibrate it.
Theta uncertainty (normal, mean theta, SD se per skill) is integrated in closed form by moment matching
(`pass_probability_closed`, the request path); a Monte Carlo reference with the exact convolution of the
four part distributions (`pass_probability`) holds it to account in the tests. The forecast comes from
the growth model of `models.growth`, with an interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray

from models.ability import CEFR_LEVELS, GRID, SKILLS, FloatArray
from models.exam import EXAM_PARTS, PART_POINTS, PASS_TOTAL
from models.growth import Growth


# The request path's readiness needs only these two functions: numpy's exact forms spare each API worker
# scipy.special's ~11 MB (measured), a target of issue 14.
def expit(x: ArrayLike) -> NDArray[np.float64]:
    """The logistic function, as tanh: no overflow for any finite x."""
    return 0.5 + 0.5 * np.tanh(0.5 * np.asarray(x, float))


_erfc = np.frompyfunc(math.erfc, 1, 1)


def erfc(x: ArrayLike) -> NDArray[np.float64]:
    """The complementary error function elementwise (``math.erfc``: the arrays here are a few rows)."""
    return np.asarray(_erfc(np.asarray(x, float)), float)


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
_WRITING = SKILLS.index("writing")
# Once speaking is measured (scored recordings, a mock exam's speaking part) its part is weighted like the
# others: 0.15 vocabulary, 0.15 grammar (SPEAKING_WITH, over SKILLS) and 0.70 the speaking skill itself.
SPEAKING_WITH = np.array([0.15, 0.15, 0.00, 0.00, 0.00])
SPEAKING_OWN = 0.70
Speaking = tuple[float, float]  # the speaking skill's (theta, se), which SKILLS does not hold
# One person's skills move together, and a skill without answers of its own is estimated from the others:
# the skills' errors are correlated, not independent (independent errors would average away in the total
# and make the pass probability look surer than the evidence is).
SKILL_ERROR_CORRELATION = 0.7
_SKILL_CORR = SKILL_ERROR_CORRELATION + (1.0 - SKILL_ERROR_CORRELATION) * np.eye(len(SKILLS))
_SKILL_CHOL = np.linalg.cholesky(_SKILL_CORR)
_SKILL_BUMP = 0.25  # theta step used to ask "which skill would help most"
_GH_NODES, _GH_WEIGHTS = np.polynomial.hermite_e.hermegauss(20)
_GH_WEIGHTS = _GH_WEIGHTS / _GH_WEIGHTS.sum()  # expectations over a standard normal
_PART_COMB = np.array([math.comb(PART_POINTS, k) for k in range(PART_POINTS + 1)], float)
_LOGIT_AT_CUT = float(np.log(PASS_SHARE_AT_CUT / (1.0 - PASS_SHARE_AT_CUT)))


@dataclass(frozen=True)
class Readiness:
    level: str
    probability: float
    probability_low: float  # P(pass) if the truth lies at the low / high end of the ability interval
    probability_high: float
    weakest_skill: str
    skill_gains: list[float]  # rise in pass probability per +0.25 theta in each skill (SKILLS order)
    expected_part_points: list[float]  # EXAM_PARTS order
    forecast_date: date | None  # at the growth model's mean rate
    forecast_earliest: date | None  # at its fast end; None: not within the horizon
    forecast_latest: date | None  # at its slow end; None: not within the horizon (or no growth)
    notes: list[str]


def part_log_likelihood(share: float, trials: int, cut: float, grid: FloatArray = GRID) -> FloatArray:
    """Log likelihood over a skill's theta grid of a part's result in a (mock) exam: ``share`` of the part
    right over ``trials`` scored questions (or rubric points), on this model's own part curve (success
    p = sigmoid(EXAM_SLOPE * (theta - cut) + logit(0.6))). The readiness model predicts parts with the same
    curve, so a mock exam's part result moves the skill toward what the exam measured."""
    if not 0.0 <= share <= 1.0 or trials <= 0:
        raise ValueError(f"share must lie in [0, 1] and trials be positive, got {share}, {trials}")
    z = EXAM_SLOPE * (grid - cut) + _LOGIT_AT_CUT
    # log sigmoid(z) and log sigmoid(-z), stable for large |z|
    return -trials * (share * np.logaddexp(0.0, -z) + (1.0 - share) * np.logaddexp(0.0, z))


def pass_probability_given_parts(part_p: ArrayLike) -> NDArray[np.float64]:
    """Exact P(total >= 60 and no part at 0), parts independent Binomial(25, p); (..., 4) -> (...)."""
    p = np.clip(np.asarray(part_p, float), 0.0, 1.0)
    points = np.arange(PART_POINTS + 1)
    # the binomial pmf by hand: scipy.stats would cost every API worker ~45 MB for this one line
    pmf = _PART_COMB * p[..., None] ** points * (1.0 - p[..., None]) ** (PART_POINTS - points)  # (..., 4, 26)
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
    """Reference P(pass at `level`) by Monte Carlo: skill thetas ~ N(theta, se) over the given
    standard-normal `draws` (n, len(SKILLS) + 1; the last column drives the speaking proxy). Too slow for
    the request path; it is what `pass_probability_closed` is held to in the tests and the benches."""
    parts = _part_success(theta, se, level, cuts, draws, speaking_theta)
    return float(pass_probability_given_parts(parts).mean())


def pass_probability_closed(
    theta: ArrayLike,
    se: ArrayLike,
    level: int,
    cuts: ArrayLike,
    speaking_theta: ArrayLike | None = None,
    speaking: Speaking | None = None,
) -> float:
    """P(pass at `level`) in closed form, for the request path (deterministic, well under a millisecond).

    The skills' errors split into a common factor and independent rests. Over the common factor the
    probability is integrated by Gauss-Hermite quadrature; given it, each part's distance to the cut is
    normal, its expected success comes from the probit approximation of the logistic-normal mean, the
    parts' covariance from the delta method, and the total of the four binomial parts is taken as normal
    with those moments (continuity-corrected). Held to the Monte Carlo reference in the tests.
    ``speaking``: the speaking skill's own (theta, se) once it is measured, else it is proxied."""
    theta_, se_ = _check_skills(theta, "theta"), _check_skills(se, "se")
    mean = _part_means(theta_, _cut_rows(cuts, level), speaking_theta, speaking)
    return float(_pass_at(mean[None], *_part_errors(se_, speaking))[0])


def skill_gains(
    theta: ArrayLike, se: ArrayLike, level: int, cuts: ArrayLike, speaking: Speaking | None = None
) -> list[float]:
    """Rise in P(pass at `level`) when one skill alone gains `_SKILL_BUMP` of theta, per skill (SKILLS
    order): which skill would help most. Its own function because the study session ranks the skills on
    every request and needs nothing else of the readiness (issues 8 and 14: the whole assessment was
    1.5 ms a session).

    The speaking proxy is held still: drilling listening is no evidence of speaking better, and letting
    it move would make listening and writing count twice. A bump moves only the parts' means (the errors
    depend on se and speaking alone), so the base and all the bumps are one batched evaluation."""
    theta_, se_ = _check_skills(theta, "theta"), _check_skills(se, "se")
    cut, bumps = _cut_rows(cuts, level), _SKILL_BUMP * np.eye(len(SKILLS))
    means = [_part_means(theta_, cut, None, speaking)]
    means += [_part_means(theta_ + bump, cut, theta_, speaking) for bump in bumps]
    prob = _pass_at(np.array(means), *_part_errors(se_, speaking))
    return (prob[1:] - prob[0]).tolist()


def _pass_at(
    means: NDArray[np.float64], loading: NDArray[np.float64], rest: NDArray[np.float64]
) -> NDArray[np.float64]:
    """P(pass) at each row of part means (k, 4), the common error factor integrated by Gauss-Hermite: the
    nodes of all rows in one `_pass_given_normal_parts` call. Each row's weighted sum is a dot product of
    its own: a matrix-vector product rounds differently, and one row must give `pass_probability_closed`
    exactly (a gain is a difference of close probabilities)."""
    nodes = means[:, None, :] + _GH_NODES[:, None] * loading  # (k, nodes, 4)
    given = _pass_given_normal_parts(nodes.reshape(-1, means.shape[1]), rest).reshape(len(means), -1)
    return np.array([_GH_WEIGHTS @ row for row in given])


def _part_means(
    theta: NDArray[np.float64],
    cut: NDArray[np.float64],
    speaking_theta: ArrayLike | None,
    speaking: Speaking | None,
) -> NDArray[np.float64]:
    """Each part's mean distance to the cut: the only part moment that theta moves. Speaking, once
    measured, is a part like the others (its own skill with vocabulary and grammar, the cut of writing,
    the other productive skill); until then the proxy, from ``speaking_theta`` when given."""
    mean = (theta - cut) @ PART_WEIGHTS.T
    if speaking_theta is not None:
        spoken = _check_skills(speaking_theta, "speaking_theta") - cut
        mean[_PROXY_PART] = spoken @ PART_WEIGHTS[_PROXY_PART]
    if speaking is not None:
        mean[_PROXY_PART] = (theta - cut) @ SPEAKING_WITH + SPEAKING_OWN * (speaking[0] - cut[_WRITING])
    return mean


def _part_errors(
    se: NDArray[np.float64], speaking: Speaking | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each part's loading on the common error factor and the covariance of the independent rests: they
    depend on the skills' se and on speaking, never on theta."""
    weights = PART_WEIGHTS.copy()
    if speaking is not None:
        weights[_PROXY_PART] = SPEAKING_WITH
    loading = np.sqrt(SKILL_ERROR_CORRELATION) * (weights @ se)
    rest = (1.0 - SKILL_ERROR_CORRELATION) * weights @ np.diag(se**2) @ weights.T
    if speaking is None:
        rest[_PROXY_PART, _PROXY_PART] += SPEAKING_PROXY_SD**2
    else:
        loading[_PROXY_PART] += np.sqrt(SKILL_ERROR_CORRELATION) * SPEAKING_OWN * speaking[1]
        rest[_PROXY_PART, _PROXY_PART] += (1.0 - SKILL_ERROR_CORRELATION) * (SPEAKING_OWN * speaking[1]) ** 2
    return loading, rest


def _pass_given_normal_parts(mean: NDArray[np.float64], cov: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(pass) when the parts' distances are N(mean[k], cov): moment matching, batched over rows."""
    mu = EXAM_SLOPE * mean + _LOGIT_AT_CUT  # (k, 4)
    expected = expit(mu / np.sqrt(1.0 + np.pi * EXAM_SLOPE**2 * np.diag(cov) / 8.0))
    slope = EXAM_SLOPE * expit(mu) * (1.0 - expit(mu))
    cov_p = slope[:, :, None] * slope[:, None, :] * cov
    var_p = np.minimum(np.diagonal(cov_p, axis1=1, axis2=2), expected * (1.0 - expected))
    n = PART_POINTS
    total_mean = n * expected.sum(axis=1)
    total_var = (n * expected * (1.0 - expected) + n * (n - 1) * var_p).sum(axis=1)
    total_var += n * n * (cov_p.sum(axis=(1, 2)) - np.trace(cov_p, axis1=1, axis2=2))
    no_zero = np.prod(1.0 - (1.0 - expected) ** n, axis=1)
    return 0.5 * erfc((PASS_TOTAL - 0.5 - total_mean) / np.sqrt(2.0 * total_var)) * no_zero


def assess_readiness(
    theta: ArrayLike,
    se: ArrayLike,
    level: int,
    cuts: ArrayLike,
    now: datetime,
    growth: Growth | None = None,
    target_probability: float = 0.8,
    horizon_days: int = 365,
    interval_z: float = 1.2816,
    speaking: Speaking | None = None,
) -> Readiness:
    """Everything the readiness screen shows, in closed form.

    `theta`, `se`: current per-skill EAP and standard error (SKILLS order). `cuts`: CEFR cut points, one
    row of 4 shared by all skills or one row per skill. `growth`: the learner's rate posterior
    (`models.growth`); the forecast is the first day the projected pass probability reaches
    `target_probability` at its mean rate, and the interval the days at its fast and slow ends
    (`interval_z` SDs: 80 % by default). The probability's interval moves every skill together by
    `interval_z` of its error (conservative: skills' errors are not all in one direction).
    `speaking`: the speaking skill's (theta, se) once scored speaking measured it; None: proxied.
    """
    theta_, se_ = _check_skills(theta, "theta"), _check_skills(se, "se")
    prob = pass_probability_closed(theta_, se_, level, cuts, speaking=speaking)
    certain = np.zeros(len(SKILLS))
    low_s = high_s = None
    if speaking is not None:
        low_s = (speaking[0] - interval_z * speaking[1], 0.0)
        high_s = (speaking[0] + interval_z * speaking[1], 0.0)
    low = pass_probability_closed(theta_ - interval_z * se_, certain, level, cuts, speaking=low_s)
    high = pass_probability_closed(theta_ + interval_z * se_, certain, level, cuts, speaking=high_s)
    gains = skill_gains(theta_, se_, level, cuts, speaking)
    parts = _expected_part_share(theta_, se_, level, cuts, speaking) * PART_POINTS
    notes = []
    if speaking is None:
        notes.append("speaking not measured yet: estimated from writing and listening with a wider error")
    dates: list[date | None] = [None, None, None]
    if prob >= target_probability:
        dates = [now.date()] * 3
    elif growth is not None:
        slow, fast = growth.quantile_rates(interval_z)
        dates = [
            _first_ready_day(theta_, se_, rate, level, cuts, now, target_probability, horizon_days, speaking)
            for rate in (growth.rate, fast, slow)
        ]
        if dates[0] is None:
            notes.append(
                f"no pass at p >= {target_probability:g} within {horizon_days} days at the current growth"
            )
    return Readiness(
        level=CEFR_LEVELS[level],
        probability=prob,
        probability_low=low,
        probability_high=high,
        weakest_skill=SKILLS[int(np.argmax(gains))],
        skill_gains=gains,
        expected_part_points=parts.tolist(),
        forecast_date=dates[0],
        forecast_earliest=dates[1],
        forecast_latest=dates[2],
        notes=notes,
    )


def _first_ready_day(
    theta: NDArray[np.float64],
    se: NDArray[np.float64],
    rate: NDArray[np.float64],
    level: int,
    cuts: ArrayLike,
    now: datetime,
    target: float,
    horizon_days: int,
    speaking: Speaking | None = None,
) -> date | None:
    """Bisection on days: with non-negative rates the projected pass probability only rises."""
    rate = np.maximum(rate, 0.0)

    def ready(day: int) -> bool:
        return pass_probability_closed(theta + rate * day, se, level, cuts, speaking=speaking) >= target

    if not rate.any() or not ready(horizon_days):
        return None
    lo, hi = 0, horizon_days
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ready(mid) else (mid, hi)
    return (now + timedelta(days=hi)).date()


def _cut_rows(cuts: ArrayLike, level: int) -> NDArray[np.float64]:
    if not 1 <= level < len(CEFR_LEVELS):
        raise ValueError(f"the tasemeeksam is held at A2 to C1 (levels 1-4), got {level}")
    return np.broadcast_to(np.asarray(cuts, float), (len(SKILLS), len(CEFR_LEVELS) - 1))[:, level - 1]


def _expected_part_share(
    theta: NDArray[np.float64],
    se: NDArray[np.float64],
    level: int,
    cuts: ArrayLike,
    speaking: Speaking | None,
) -> NDArray[np.float64]:
    """Expected success share of each part (probit approximation, as in `pass_probability_closed`)."""
    distance = _part_means(theta, _cut_rows(cuts, level), None, speaking)
    loading, rest = _part_errors(se, speaking)
    var = loading**2 + np.diag(rest)
    mu = EXAM_SLOPE * distance + _LOGIT_AT_CUT
    return expit(mu / np.sqrt(1.0 + np.pi * EXAM_SLOPE**2 * var / 8.0))


def _part_success(
    theta: ArrayLike,
    se: ArrayLike,
    level: int,
    cuts: ArrayLike,
    draws: ArrayLike,
    speaking_theta: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Per-draw success probability of each exam part, shape (n_draws, 4)."""
    cut = _cut_rows(cuts, level)
    theta_, se_ = _check_skills(theta, "theta"), _check_skills(se, "se")
    z = np.asarray(draws, float)
    noise = se_ * (z[:, : len(SKILLS)] @ _SKILL_CHOL.T)
    distance = (theta_ + noise - cut) @ PART_WEIGHTS.T
    if speaking_theta is not None:
        spoken = _check_skills(speaking_theta, "speaking_theta") + noise - cut
        distance[:, _PROXY_PART] = spoken @ PART_WEIGHTS[_PROXY_PART]
    distance[:, _PROXY_PART] += SPEAKING_PROXY_SD * z[:, len(SKILLS)]
    return expit(EXAM_SLOPE * distance + _LOGIT_AT_CUT)


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
