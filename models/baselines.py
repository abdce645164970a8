"""Reference recall predictors the benchmark compares against: SM-2 and half-life regression (HLR).

Both follow srs-benchmark's definitions, so their scores line up with its published table: SM-2's
interval turned into a recall probability by R = 0.9^(t/interval), and HLR's p = 2^(-t/h) with
h = 2^(θ·[√(1+right), √(1+wrong), 1]) counted over all earlier answers to the pair.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from models.replay import History

_MAX_INTERVAL = 36_500.0


def sm2_intervals(history: History) -> np.ndarray:
    """SM-2 interval (days) in force before each review, from the pair's earlier grades (NaN at first)."""
    ivl = np.zeros(history.n_pairs)
    ef = np.full(history.n_pairs, 2.5)
    reps = np.zeros(history.n_pairs, dtype=np.int64)
    out = np.full(len(history.pair), np.nan)
    for k, rows in enumerate(history.steps):
        pairs = history.pair[rows]
        if k:
            out[rows] = ivl[pairs]
        quality = history.grade[rows] + 1
        passed = quality > 2
        old_ivl, old_reps = ivl[pairs], reps[pairs]
        grown = np.where(old_reps == 0, 1.0, np.where(old_reps == 1, 6.0, old_ivl * ef[pairs]))
        new_ivl = np.where(passed, grown, 1.0)
        reps[pairs] = np.where(passed, old_reps + 1, 0)
        ef[pairs] = np.maximum(1.3, ef[pairs] + (0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02)))
        ivl[pairs] = np.minimum(np.maximum(1.0, np.round(new_ivl + 0.01)), _MAX_INTERVAL)
    return out


def sm2_recall(history: History) -> np.ndarray:
    return 0.9 ** (history.days / sm2_intervals(history))


def answer_counts(history: History) -> tuple[np.ndarray, np.ndarray]:
    """Earlier right and wrong answers to the same pair, before each review."""
    right = np.zeros(history.n_pairs)
    wrong = np.zeros(history.n_pairs)
    before = np.zeros((2, len(history.pair)))
    for rows in history.steps:
        pairs = history.pair[rows]
        before[0, rows], before[1, rows] = right[pairs], wrong[pairs]
        passed = history.grade[rows] > 1
        right[pairs] += passed
        wrong[pairs] += ~passed
    return before[0], before[1]


def _hlr_design(right: np.ndarray, wrong: np.ndarray) -> np.ndarray:
    return np.stack([np.sqrt(1 + right), np.sqrt(1 + wrong), np.ones_like(right)], axis=1)


def hlr_recall(theta: np.ndarray, right: np.ndarray, wrong: np.ndarray, days: np.ndarray) -> np.ndarray:
    half_life = 2.0 ** np.clip(_hlr_design(right, wrong) @ theta, -10, 20)
    return np.clip(2.0 ** (-days / half_life), 1e-4, 1 - 1e-4)


def fit_hlr(right: np.ndarray, wrong: np.ndarray, days: np.ndarray, recalled: np.ndarray) -> np.ndarray:
    """θ minimising log loss on the given reviews (3 parameters, so numeric gradients are cheap)."""

    def loss(theta: np.ndarray) -> float:
        p = hlr_recall(theta, right, wrong, days)
        return float(-np.mean(recalled * np.log(p) + (1 - recalled) * np.log(1 - p)))

    return np.asarray(minimize(loss, np.array([1.0, -1.0, 1.0]), method="L-BFGS-B").x)
