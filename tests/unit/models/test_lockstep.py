"""Lockstep minimisation: the same results as one by one, rounds batched, failures raised (no hang)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from scipy.optimize import minimize

from models.lockstep import solve_in_lockstep

CENTRES = [np.array([1.0, -2.0]), np.array([3.0, 0.5]), np.array([-1.0, 4.0])]


def quadratic(x: np.ndarray, centre: np.ndarray) -> tuple[float, np.ndarray]:
    return float(np.sum((x - centre) ** 4)), 4 * (x - centre) ** 3


def solver(objective: Callable[[np.ndarray], tuple[float, np.ndarray]]) -> np.ndarray:
    return minimize(objective, np.zeros(2), jac=True, method="L-BFGS-B").x


def test_results_equal_one_by_one_and_each_round_is_one_call() -> None:
    rounds: list[int] = []

    def evaluate(points: dict[int, np.ndarray]) -> dict[int, tuple[float, np.ndarray]]:
        rounds.append(len(points))
        return {k: quadratic(x, CENTRES[k]) for k, x in points.items()}

    together = solve_in_lockstep([solver] * len(CENTRES), evaluate)
    for centre, x in zip(CENTRES, together, strict=True):
        assert np.array_equal(x, solver(lambda x, c=centre: quadratic(x, c)))
    assert rounds[0] == len(CENTRES) and sum(rounds) > len(rounds)


def test_a_failing_batch_is_raised_to_the_caller() -> None:
    def evaluate(points: dict[int, np.ndarray]) -> dict:
        raise ValueError("replay failed")

    with pytest.raises(ValueError, match="replay failed"):
        solve_in_lockstep([solver] * 3, evaluate)
