"""Tasemeeksam readiness against hand-computed cases."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from scipy.stats import binom

from models.readiness import (
    PART_WEIGHTS,
    assess_readiness,
    growth_per_day,
    pass_probability,
    pass_probability_given_parts,
)

CUTS = [-1.5, -0.5, 0.5, 1.5]
B1 = 2
NOW = datetime(2026, 3, 1, 9, 0)


def test_four_parts_at_sixty_percent_pass_as_often_as_a_binomial_total_reaches_sixty() -> None:
    # zero parts are negligible here (0.4**25), so this is P(Bin(100, 0.6) >= 60)
    assert pass_probability_given_parts([0.6] * 4) == pytest.approx(binom.sf(59, 100, 0.6), abs=1e-9)


def test_three_full_parts_pass_unless_the_fourth_is_zero() -> None:
    # 75 points are banked; the exam fails only when speaking scores 0: 1 - 0.9**25
    assert pass_probability_given_parts([1.0, 1.0, 1.0, 0.1]) == pytest.approx(1 - 0.9**25, abs=1e-12)


def test_a_certain_zero_part_fails_whatever_the_rest() -> None:
    parts = [[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 1.0]]
    np.testing.assert_allclose(pass_probability_given_parts(parts), 0.0)


def test_two_weak_parts_need_ten_points_between_them_and_both_above_zero() -> None:
    # 50 banked; X, Y ~ Bin(25, 0.2): need X + Y >= 10, minus the cases where one of them is 0
    expected = binom.sf(9, 50, 0.2) - 2 * 0.8**25 * binom.sf(9, 25, 0.2)
    assert pass_probability_given_parts([1.0, 1.0, 0.2, 0.2]) == pytest.approx(expected, abs=1e-12)


def test_certain_learner_at_the_cut_expects_the_pass_mark_on_measured_parts() -> None:
    draws = np.zeros((1, 6))  # se 0 and no proxy noise: every part sits exactly at the cut
    theta = np.full(5, CUTS[B1 - 1])
    assert pass_probability(theta, np.zeros(5), B1, CUTS, draws) == pytest.approx(binom.sf(59, 100, 0.6))


def test_part_weights_are_a_mix_per_part() -> None:
    np.testing.assert_allclose(PART_WEIGHTS.sum(axis=1), 1.0)


def test_more_ability_more_chance_and_higher_levels_are_harder() -> None:
    rng = np.random.default_rng(0)
    se = np.full(5, 0.3)
    low = assess_readiness(np.full(5, -0.5), se, B1, CUTS, rng, NOW).probability
    high = assess_readiness(np.full(5, 0.2), se, B1, CUTS, np.random.default_rng(0), NOW).probability
    harder = assess_readiness(np.full(5, 0.2), se, B1 + 1, CUTS, np.random.default_rng(0), NOW).probability
    assert low < high and harder < high


def test_the_weakest_skill_is_the_one_holding_the_pass_back() -> None:
    theta = np.array([0.0, 0.0, -1.2, 0.0, 0.0])  # reading far below the B1 cut
    result = assess_readiness(theta, np.full(5, 0.3), B1, CUTS, np.random.default_rng(1), NOW)
    assert result.weakest_skill == "reading"
    assert result.skill_gains[2] == max(result.skill_gains)
    assert min(result.expected_part_points) == result.expected_part_points[1]  # the reading part


def test_speaking_is_flagged_as_a_proxy_and_uncertain() -> None:
    result = assess_readiness(np.zeros(5), np.zeros(5), B1, CUTS, np.random.default_rng(2), NOW)
    assert any("speaking" in note for note in result.notes)
    # measured parts have no uncertainty left; speaking's extra error still pulls the chance off 0/1
    assert 0.0 < result.probability < 1.0


def test_growth_per_day_is_the_least_squares_slope_floored_at_zero() -> None:
    times = [NOW, NOW + timedelta(days=10), NOW + timedelta(days=20)]
    history = np.array([[0.0, 0.0, 0.0, 0.0, 1.0], [0.5, 0.1, 0.0, 0.0, 0.5], [1.0, 0.2, 0.0, 0.0, 0.0]])
    np.testing.assert_allclose(growth_per_day(times, history), [0.05, 0.01, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(growth_per_day(times[:1], history[:1]), 0.0)


def test_forecast_is_the_first_day_the_projected_chance_reaches_the_target() -> None:
    theta, se = np.full(5, -0.9), np.full(5, 0.3)
    times = [NOW - timedelta(days=30), NOW]
    history = np.vstack([theta - 0.3, theta])  # +0.01 theta per day in every skill
    result = assess_readiness(theta, se, B1, CUTS, np.random.default_rng(7), NOW, times, history)
    assert result.forecast_date is not None and result.forecast_date > NOW.date()
    days = (result.forecast_date - NOW.date()).days
    draws = np.random.default_rng(7).standard_normal((2000, 6))  # the draws assess_readiness made
    assert pass_probability(theta + 0.01 * days, se, B1, CUTS, draws) >= 0.8
    assert pass_probability(theta + 0.01 * (days - 1), se, B1, CUTS, draws) < 0.8


def test_no_forecast_without_growth_and_today_when_ready() -> None:
    theta, se = np.full(5, -0.9), np.full(5, 0.3)
    flat = assess_readiness(theta, se, B1, CUTS, np.random.default_rng(0), NOW, [NOW, NOW], [theta, theta])
    assert flat.forecast_date is None
    ready = assess_readiness(np.full(5, 1.0), se, B1, CUTS, np.random.default_rng(0), NOW)
    assert ready.forecast_date == date(2026, 3, 1)


def test_levels_outside_the_exam_and_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="A2 to C1"):
        assess_readiness(np.zeros(5), np.ones(5), 0, CUTS, np.random.default_rng(0), NOW)
    with pytest.raises(ValueError, match="one value per skill"):
        assess_readiness(np.zeros(4), np.ones(4), B1, CUTS, np.random.default_rng(0), NOW)
