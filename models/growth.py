"""A learner's growth in ability per skill: a Bayesian linear trend with a population prior on the rate.

Why not a straight line through the daily snapshots: two noisy days make any slope (a lucky Tuesday is a
"band a week"), and a line has no error to give the forecast an interval. Here each skill's rate has a
normal prior, a typical learner's growth, and the snapshots update it as observations of
theta0 + rate x day with their own standard error plus a day-to-day wobble; the posterior of the rate is
normal (closed form, weighted least squares with a ridge towards the prior), so the forecast carries an
interval, and a learner with little history gets the population's rate with the population's spread.

Snapshots are running posteriors, not independent measurements; the wobble term keeps a long history of
them from claiming more certainty than its distinct evidence holds (an approximation, said so here).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

# About one theta unit (one CEFR band on the default cuts) per year of regular study, give or take two:
# the prior for a learner whose own history says little yet. The batch jobs can replace it once the answer
# log holds enough learners to estimate the population's rate.
PRIOR_RATE_PER_DAY = 1.0 / 365.0
PRIOR_RATE_SD = 2.0 / 365.0
WOBBLE_SD = 0.15


@dataclass(frozen=True)
class Growth:
    """Posterior of the theta rate per day, per skill (normal: mean and SD)."""

    rate: NDArray[np.float64]
    rate_sd: NDArray[np.float64]

    def quantile_rates(self, z: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """(slow, fast) rates at -z and +z posterior SDs: the edges of the forecast's interval."""
        return self.rate - z * self.rate_sd, self.rate + z * self.rate_sd


def prior_growth(n_skills: int) -> Growth:
    return Growth(np.full(n_skills, PRIOR_RATE_PER_DAY), np.full(n_skills, PRIOR_RATE_SD))


def fit_growth(
    days: ArrayLike,
    theta: ArrayLike,
    se: ArrayLike,
    prior_rate: float = PRIOR_RATE_PER_DAY,
    prior_sd: float = PRIOR_RATE_SD,
    wobble_sd: float = WOBBLE_SD,
) -> Growth:
    """Rate posterior per skill from snapshots at `days` (n,) of `theta` and `se` (n, skills).

    The intercept has a flat prior, so only the spread of the snapshots in time informs the rate."""
    t = np.asarray(days, float)
    y, s = np.asarray(theta, float), np.asarray(se, float)
    if y.ndim != 2 or y.shape != s.shape or len(t) != len(y):
        raise ValueError("theta and se must be (len(days), n_skills)")
    w = 1.0 / (s**2 + wobble_sd**2)
    t_bar = (w * t[:, None]).sum(axis=0) / w.sum(axis=0)
    y_bar = (w * y).sum(axis=0) / w.sum(axis=0)
    dt = t[:, None] - t_bar
    precision = (w * dt**2).sum(axis=0) + 1.0 / prior_sd**2
    mean = ((w * dt * (y - y_bar)).sum(axis=0) + prior_rate / prior_sd**2) / precision
    return Growth(mean, 1.0 / np.sqrt(precision))
