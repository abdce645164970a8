"""Two-parameter logistic (2PL) ability model: a learner's theta as a posterior on a fixed grid.

Why a grid: the posterior after any answer pattern is exact (no iteration, no divergence on all-right or
all-wrong patterns), an answer updates it in O(grid size), and the whole state is a list of floats that
fits in a database row between HTTP calls. Every estimate carries its standard error (posterior SD).

Scale: P(correct) = 1 / (1 + exp(-a (theta - b))), no 1.7 constant, population theta ~ N(0, 1) per skill.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

SKILLS: tuple[str, ...] = ("vocabulary", "grammar", "reading", "listening", "writing")
CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1")
GRID: NDArray[np.float64] = np.linspace(-5.0, 5.0, 101)
# theta random-walk variance per day: SD 0.5 (half a CEFR band) over 100 days without practice evidence
DRIFT_VARIANCE_PER_DAY = 0.0025

FloatArray = NDArray[np.float64]


def p_correct(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> FloatArray:
    """2PL success probability, broadcast over theta and item parameters."""
    z = np.asarray(a, dtype=float) * (np.asarray(theta, dtype=float) - np.asarray(b, dtype=float))
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))


def item_information(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> FloatArray:
    """Fisher information a^2 P (1 - P): how much one answer sharpens theta near `theta`."""
    p = p_correct(theta, a, b)
    return np.asarray(a, dtype=float) ** 2 * p * (1.0 - p)


def prior_log_density(mean: float = 0.0, sd: float = 1.0, grid: FloatArray = GRID) -> FloatArray:
    """Normalised log prior on the grid (normal; the population distribution the bank was calibrated on)."""
    if sd <= 0:
        raise ValueError(f"prior sd must be positive, got {sd}")
    log_p = -0.5 * ((grid - mean) / sd) ** 2
    return log_p - _logsumexp(log_p)


def answer_log_likelihood(a: float, b: float, correct: bool, grid: FloatArray = GRID) -> FloatArray:
    """Log likelihood of one answer at every grid point."""
    z = a * (grid - b)
    # log sigmoid(z) and log sigmoid(-z), stable for large |z|
    return -np.logaddexp(0.0, -z) if correct else -np.logaddexp(0.0, z)


def update_log_posterior(
    log_post: ArrayLike, a: float, b: float, correct: bool, grid: FloatArray = GRID
) -> FloatArray:
    """Posterior after one more answer, renormalised; O(grid size), returns a new array."""
    new = np.asarray(log_post, dtype=float) + answer_log_likelihood(a, b, correct, grid)
    return new - _logsumexp(new)


def drift_log_posterior(
    log_post: ArrayLike,
    days: float,
    variance_per_day: float = DRIFT_VARIANCE_PER_DAY,
    grid: FloatArray = GRID,
) -> FloatArray:
    """Widen the posterior for the time since the last answer: learners learn (and forget), so theta is a
    random walk and old evidence must lose weight, or the estimate would freeze and hide the growth the
    readiness forecast needs. Gaussian kernel of variance `variance_per_day` x days, applied in
    probability space; O(grid x kernel width)."""
    lp = np.asarray(log_post, dtype=float)
    variance = variance_per_day * max(days, 0.0)
    step = float(grid[1] - grid[0])
    half_width = min(int(np.ceil(4.0 * np.sqrt(variance) / step)), (len(grid) - 1) // 2)
    if half_width == 0:
        return lp - _logsumexp(lp)
    offsets = np.arange(-half_width, half_width + 1) * step
    kernel = np.exp(-0.5 * offsets**2 / variance)
    smoothed = np.convolve(_weights(lp), kernel / kernel.sum(), mode="same")
    return np.log(np.maximum(smoothed, 1e-300)) - np.log(smoothed.sum())


def posterior_from_answers(
    a: ArrayLike,
    b: ArrayLike,
    correct: ArrayLike,
    prior_mean: float = 0.0,
    prior_sd: float = 1.0,
    grid: FloatArray = GRID,
) -> FloatArray:
    """Log posterior from a whole answer history at once (same result as updating one by one)."""
    a_, b_, y = np.asarray(a, float), np.asarray(b, float), np.asarray(correct, bool)
    z = a_[:, None] * (grid[None, :] - b_[:, None])
    ll = np.where(y[:, None], -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)).sum(axis=0)
    new = prior_log_density(prior_mean, prior_sd, grid) + ll
    return new - _logsumexp(new)


@dataclass(frozen=True)
class AbilityEstimate:
    """EAP theta and its standard error (posterior SD)."""

    theta: float
    se: float


def eap(log_post: ArrayLike, grid: FloatArray = GRID) -> AbilityEstimate:
    """Expected a posteriori theta and posterior SD."""
    w = _weights(log_post)
    mean = float(w @ grid)
    return AbilityEstimate(theta=mean, se=float(np.sqrt(max(w @ (grid - mean) ** 2, 0.0))))


def band_of(theta: ArrayLike, cuts: ArrayLike) -> NDArray[np.int64]:
    """CEFR band index (0 = A1 ... 4 = C1) of theta given ascending cut points."""
    return np.searchsorted(np.asarray(cuts, float), np.asarray(theta, float), side="right")


def band_probabilities(log_post: ArrayLike, cuts: ArrayLike, grid: FloatArray = GRID) -> FloatArray:
    """Posterior probability of each band: the quantity placement decides on.

    Each grid point stands for a cell one grid step wide; a cell straddling a cut is split in proportion,
    so a cut lying on a grid point does not hand that point's mass to one side.
    """
    cuts_ = np.asarray(cuts, float)
    step = float(grid[1] - grid[0])
    below = np.clip((cuts_[None, :] - (grid[:, None] - step / 2)) / step, 0.0, 1.0)  # (grid, cuts)
    cum = np.hstack([np.zeros((len(grid), 1)), below, np.ones((len(grid), 1))])
    return _weights(log_post) @ np.diff(cum, axis=1)


def cefr_cut_points(
    b: ArrayLike, a: ArrayLike, author_levels: Sequence[int], response_probability: float = 0.5
) -> FloatArray:
    """Cut points on theta anchored by the levels authors gave the items.

    For each boundary k|k+1, a logistic regression of "item is above level k" on the item's calibrated
    difficulty b finds the difficulty where authors switch levels; a learner at that theta answers such
    items with `response_probability` (hence the shift logit(rp) / median a). Authors' labels are noisy, so
    a regression rather than a min/max; cuts are forced ascending.
    """
    from sklearn.linear_model import LogisticRegression  # batch jobs only: keeps workers light

    b_, a_ = np.asarray(b, float), np.asarray(a, float)
    levels = np.asarray(author_levels, int)
    if b_.shape != levels.shape or b_.shape != a_.shape:
        raise ValueError("b, a and author_levels must have the same length")
    missing = [CEFR_LEVELS[k] for k in range(len(CEFR_LEVELS)) if not np.any(levels == k)]
    if missing:
        raise ValueError(f"no calibrated items at level(s) {', '.join(missing)}: cannot anchor their cuts")
    shift = np.log(response_probability / (1.0 - response_probability)) / float(np.median(a_))
    cuts = np.empty(len(CEFR_LEVELS) - 1)
    for k in range(len(cuts)):
        model = LogisticRegression(C=100.0).fit(b_[:, None], levels > k)
        cuts[k] = -model.intercept_[0] / model.coef_[0, 0]
    return np.maximum.accumulate(cuts + shift)


def _weights(log_post: ArrayLike) -> FloatArray:
    lp = np.asarray(log_post, dtype=float)
    w = np.exp(lp - lp.max())
    return w / w.sum()


def _logsumexp(x: FloatArray) -> float:
    m = float(np.max(x))
    return m + float(np.log(np.sum(np.exp(x - m))))
