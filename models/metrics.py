"""Scores of recall predictions, defined as in the open srs-benchmark so numbers compare with it.

Log loss and AUC judge each prediction; RMSE(bins) judges calibration per kind of review. The bins are
srs-benchmark's: elapsed days, review number within the pair and lapse count, each on a geometric grid;
the RMSE between mean outcome and mean prediction per bin is weighted by the bin's size. Report all three
together: RMSE(bins) alone can be gamed by predicting bin means.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

_EPS = 1e-7


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(np.asarray(p, dtype=float), _EPS, 1 - _EPS)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve; NaN when only one outcome occurs."""
    y = np.asarray(y)
    if y.size == 0 or np.all(y == y.flat[0]):
        return float("nan")
    return float(roc_auc_score(y, p))


def _geometric_bin(x: np.ndarray, scale: float, base: float, decimals: int) -> np.ndarray:
    return np.round(scale * base ** np.floor(np.log(x) / np.log(base)), decimals)


def rmse_bins(y: np.ndarray, p: np.ndarray, days: np.ndarray, index: np.ndarray, lapses: np.ndarray
              ) -> float:
    """srs-benchmark RMSE(bins).

    `index`: the review's number within its pair counting one per day (`History.day_index`);
    `lapses`: Again answers given a day or more after the previous review, before this one.
    """
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    lapses = np.asarray(lapses, dtype=float)
    keys = np.stack([
        _geometric_bin(np.maximum(np.asarray(days, dtype=float), 1e-6), 2.48, 3.62, 2),
        _geometric_bin(np.asarray(index, dtype=float), 1.99, 1.89, 0),
        np.where(lapses == 0, 0.0, _geometric_bin(np.maximum(lapses, 1.0), 1.65, 1.73, 0)),
    ], axis=1)
    _, group = np.unique(keys, axis=0, return_inverse=True)
    group = group.ravel()
    count = np.bincount(group).astype(float)
    gap = (np.bincount(group, weights=y) - np.bincount(group, weights=p)) / count
    return float(np.sqrt(np.average(gap**2, weights=count)))
