"""Tasemeeksam readiness against hand-computed cases."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest
from scipy.stats import binom

from models.growth import Growth, fit_growth, prior_growth
from models.readiness import (
    PART_WEIGHTS,
    assess_readiness,
    pass_probability,
    pass_probability_closed,
    pass_probability_given_parts,
    skill_gains,
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


@pytest.mark.parametrize("level", [1, 2])
@pytest.mark.parametrize("se", [0.05, 0.4, 1.0])
def test_the_closed_form_stays_near_the_monte_carlo_reference(level: int, se: float) -> None:
    draws = np.random.default_rng(3).standard_normal((4000, 6))
    offsets = np.array([0.0, 0.2, -0.4, 0.1, -0.1])
    for centre in np.linspace(-3.0, 1.5, 4):
        theta = np.full(5, centre) + offsets
        reference = pass_probability(theta, np.full(5, se), level, CUTS, draws)
        closed = pass_probability_closed(theta, np.full(5, se), level, CUTS)
        assert closed == pytest.approx(reference, abs=0.02)


def test_part_weights_are_a_mix_per_part() -> None:
    np.testing.assert_allclose(PART_WEIGHTS.sum(axis=1), 1.0)


def test_more_ability_more_chance_and_higher_levels_are_harder() -> None:
    se = np.full(5, 0.3)
    low = assess_readiness(np.full(5, -0.5), se, B1, CUTS, NOW)
    high = assess_readiness(np.full(5, 0.2), se, B1, CUTS, NOW)
    harder = assess_readiness(np.full(5, 0.2), se, B1 + 1, CUTS, NOW)
    assert low.probability < high.probability and harder.probability < high.probability
    # the interval holds the estimate and narrows as the error does
    assert low.probability_low < low.probability < low.probability_high
    sure = assess_readiness(np.full(5, -0.5), np.full(5, 0.1), B1, CUTS, NOW)
    assert sure.probability_high - sure.probability_low < low.probability_high - low.probability_low


def test_the_weakest_skill_is_the_one_holding_the_pass_back() -> None:
    theta = np.array([0.0, 0.0, -1.2, 0.0, 0.0])  # reading far below the B1 cut
    result = assess_readiness(theta, np.full(5, 0.3), B1, CUTS, NOW)
    assert result.weakest_skill == "reading"
    assert result.skill_gains[2] == max(result.skill_gains)
    assert min(result.expected_part_points) == result.expected_part_points[1]  # the reading part


@pytest.mark.parametrize("speaking", [None, (-0.8, 0.4)])
@pytest.mark.parametrize("per_skill_cuts", [False, True])
def test_the_batched_skill_gains_are_the_gains_of_one_bump_at_a_time(
    speaking: tuple[float, float] | None, per_skill_cuts: bool
) -> None:
    # the session ranks skills with `skill_gains`, one batched evaluation; it must give what evaluating
    # each +0.25 bump on its own gives (the speaking proxy held at the unbumped theta), and be the very
    # gains the readiness screen shows
    rng = np.random.default_rng(8)
    for _ in range(40):
        theta, se = rng.normal(-0.7, 1.0, 5), rng.uniform(0.05, 1.0, 5)
        level = int(rng.integers(1, 5))
        cuts = np.sort(rng.normal(0.0, 1.5, (5, 4)), axis=1) if per_skill_cuts else CUTS
        base = pass_probability_closed(theta, se, level, cuts, speaking=speaking)
        one_at_a_time = [
            pass_probability_closed(theta + bump, se, level, cuts, theta, speaking) - base
            for bump in 0.25 * np.eye(5)
        ]
        batched = skill_gains(theta, se, level, cuts, speaking)
        np.testing.assert_allclose(batched, one_at_a_time, rtol=0.0, atol=1e-12)
        assert assess_readiness(theta, se, level, cuts, NOW, speaking=speaking).skill_gains == batched


def test_speaking_is_flagged_as_a_proxy_and_uncertain() -> None:
    result = assess_readiness(np.zeros(5), np.zeros(5), B1, CUTS, NOW)
    assert any("speaking" in note for note in result.notes)
    # measured parts have no uncertainty left; speaking's extra error still pulls the chance off 0/1
    assert 0.0 < result.probability < 1.0


def test_growth_without_history_is_the_population_prior_and_history_sharpens_it() -> None:
    prior = prior_growth(5)
    one_day = fit_growth([0.0], np.zeros((1, 5)), np.full((1, 5), 0.3))
    np.testing.assert_allclose(one_day.rate, prior.rate)
    np.testing.assert_allclose(one_day.rate_sd, prior.rate_sd)
    days = np.arange(0.0, 60.0, 3.0)
    theta = -2.0 + 0.01 * days[:, None] + np.zeros((1, 5))  # +0.01 theta a day, far above the prior
    fitted = fit_growth(days, theta, np.full(theta.shape, 0.2))
    assert np.all(fitted.rate > 0.007) and np.all(fitted.rate < 0.0101)  # pulled a little to the prior
    assert np.all(fitted.rate_sd < prior.rate_sd)
    two_days = fit_growth([0.0, 1.0], np.array([[-2.0] * 5, [-1.0] * 5]), np.full((2, 5), 0.3))
    assert np.all(two_days.rate < 0.05)  # a lucky day is not a band a day


def test_forecast_is_the_first_day_the_projected_chance_reaches_the_target_with_an_interval() -> None:
    theta, se = np.full(5, -0.9), np.full(5, 0.3)
    growth = Growth(np.full(5, 0.01), np.full(5, 0.002))
    result = assess_readiness(theta, se, B1, CUTS, NOW, growth)
    assert result.forecast_date is not None and result.forecast_date > NOW.date()
    days = (result.forecast_date - NOW.date()).days
    assert pass_probability_closed(theta + 0.01 * days, se, B1, CUTS) >= 0.8
    assert pass_probability_closed(theta + 0.01 * (days - 1), se, B1, CUTS) < 0.8
    assert result.forecast_earliest is not None and result.forecast_latest is not None
    assert result.forecast_earliest < result.forecast_date < result.forecast_latest


def test_no_forecast_without_growth_and_today_when_ready() -> None:
    theta, se = np.full(5, -0.9), np.full(5, 0.3)
    flat = assess_readiness(theta, se, B1, CUTS, NOW, Growth(np.zeros(5), np.zeros(5)))
    assert flat.forecast_date is None and flat.forecast_latest is None
    assert any("within 365 days" in note for note in flat.notes)
    ready = assess_readiness(np.full(5, 1.0), se, B1, CUTS, NOW)
    assert ready.forecast_date == date(2026, 3, 1)


def test_levels_outside_the_exam_and_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="A2 to C1"):
        assess_readiness(np.zeros(5), np.ones(5), 0, CUTS, NOW)
    with pytest.raises(ValueError, match="one value per skill"):
        assess_readiness(np.zeros(4), np.ones(4), B1, CUTS, NOW)
