"""The scheduling target moves by the model's miscalibration near the product's target, and only there."""

from __future__ import annotations

import numpy as np
import pytest

from models.retention import CEILING, DESIRED_RETENTION, MIN_NEAR, scheduling_retention


def _reviews(
    predicted: float, recalled: float, n: int = 1000, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = np.clip(rng.normal(predicted, 0.02, n), 0.0, 1.0)
    return p, (rng.random(n) < recalled).astype(float)


def test_a_hopeful_model_is_asked_for_more_and_a_pessimistic_one_keeps_the_promise() -> None:
    hopeful = scheduling_retention(*_reviews(0.9, 0.8))
    slightly = scheduling_retention(*_reviews(0.9, 0.87))
    # 0.8 recalled where 0.9 was predicted: a gap of 0.81 in log-odds, added to the target's 2.20
    assert hopeful == pytest.approx(1 / (1 + np.exp(-(2 * np.log(9) - np.log(4)))), abs=0.01)
    assert DESIRED_RETENTION < slightly < hopeful
    assert scheduling_retention(*_reviews(0.9, 0.9)) < DESIRED_RETENTION + 0.01
    assert scheduling_retention(*_reviews(0.9, 0.97)) == DESIRED_RETENTION  # never lengthens intervals


def test_only_reviews_near_the_target_count() -> None:
    """Far from the target the model may be off either way: the scheduler never acts there."""
    near_p, near_y = _reviews(0.9, 0.85)
    far_p, far_y = _reviews(0.5, 0.95, seed=1)
    target = scheduling_retention(np.r_[near_p, far_p], np.r_[near_y, far_y])
    assert target == scheduling_retention(near_p, near_y)


def test_too_few_reviews_near_the_target_leave_it_and_the_result_stays_bounded() -> None:
    p, y = _reviews(0.9, 0.5, n=MIN_NEAR - 1)
    assert scheduling_retention(p, y) == DESIRED_RETENTION
    assert scheduling_retention(*_reviews(0.9, 0.3)) == CEILING
