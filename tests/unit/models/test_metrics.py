"""Recall metrics as srs-benchmark defines them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.metrics import auc, log_loss, rmse_bins


def test_log_loss_is_the_mean_negative_log_likelihood() -> None:
    expected = -(math.log(0.8) + math.log(0.7)) / 2
    assert log_loss(np.array([1, 0]), np.array([0.8, 0.3])) == pytest.approx(expected)
    assert np.isfinite(log_loss(np.array([1]), np.array([0.0])))


def test_auc_ranks_and_is_undefined_with_one_outcome() -> None:
    y = np.array([0, 0, 1, 1])
    assert auc(y, np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert auc(y, np.array([0.9, 0.8, 0.2, 0.1])) == 0.0
    assert math.isnan(auc(np.ones(3), np.array([0.1, 0.5, 0.9])))


def test_rmse_bins_weighs_each_bins_gap_by_its_size() -> None:
    y = np.array([1, 0, 1, 1])
    p = np.array([0.5, 0.5, 0.6, 0.6])
    days, index, lapses = np.array([1, 1, 10, 10]), np.array([2, 2, 2, 2]), np.zeros(4)
    assert rmse_bins(y, p, days, index, lapses) == pytest.approx(math.sqrt((0 * 2 + 0.4**2 * 2) / 4))


def test_rmse_bins_pools_nearby_intervals_but_not_lapsed_pairs() -> None:
    y, p = np.array([1, 0]), np.array([0.9, 0.1])
    # 4 and 5 days share a bin (2.48·3.62^1), so the two errors cancel
    assert rmse_bins(y, p, np.array([4, 5]), np.array([3, 3]), np.zeros(2)) == pytest.approx(0.0)
    # a pair with one lapse is binned apart from a pair with none
    assert rmse_bins(y, p, np.array([4, 5]), np.array([3, 3]), np.array([0, 1])) == pytest.approx(0.1)
