"""2PL grid posterior, MML calibration and CEFR cut points."""

from __future__ import annotations

import numpy as np
import pytest

from models.ability import (
    GRID,
    band_of,
    band_probabilities,
    cefr_cut_points,
    drift_log_posterior,
    eap,
    item_information,
    p_correct,
    posterior_from_answers,
    prior_log_density,
    update_log_posterior,
)
from models.calibration import TwoPLCalibrator


def test_p_correct_is_one_half_at_difficulty_and_information_peaks_there() -> None:
    assert p_correct(0.7, 1.3, 0.7) == pytest.approx(0.5)
    assert p_correct(1.7, 1.0, 0.7) == pytest.approx(1 / (1 + np.exp(-1.0)))
    thetas = np.linspace(-3, 3, 61)
    info = item_information(thetas, 1.3, 0.7)
    assert thetas[np.argmax(info)] == pytest.approx(0.7)
    assert info.max() == pytest.approx(1.3**2 / 4)


def test_prior_eap_recovers_the_normal_prior() -> None:
    est = eap(prior_log_density(0.5, 0.8))
    assert est.theta == pytest.approx(0.5, abs=1e-6)
    assert est.se == pytest.approx(0.8, abs=1e-3)


def test_incremental_updates_equal_the_batch_posterior() -> None:
    a, b, y = [1.2, 0.8, 1.5, 1.0], [-1.0, 0.0, 0.5, 2.0], [True, True, False, True]
    log_post = prior_log_density()
    for ai, bi, yi in zip(a, b, y, strict=True):
        log_post = update_log_posterior(log_post, ai, bi, yi)
    np.testing.assert_allclose(log_post, posterior_from_answers(a, b, y), atol=1e-10)


def test_right_answers_raise_theta_and_every_answer_shrinks_the_error() -> None:
    prior = prior_log_density()
    right, wrong = update_log_posterior(prior, 1.0, 0.0, True), update_log_posterior(prior, 1.0, 0.0, False)
    assert eap(right).theta > 0 > eap(wrong).theta
    assert eap(right).se < eap(prior).se and eap(wrong).se < eap(prior).se
    assert eap(right).theta == pytest.approx(-eap(wrong).theta)


def test_all_right_pattern_stays_finite() -> None:
    log_post = posterior_from_answers([1.0] * 10, [3.0] * 10, [True] * 10)
    est = eap(log_post)
    assert np.isfinite(est.theta) and 3.0 < est.theta < GRID[-1]


def test_drift_widens_the_posterior_by_the_random_walk_variance() -> None:
    log_post = prior_log_density(0.5, 0.3)
    drifted = eap(drift_log_posterior(log_post, days=40, variance_per_day=0.01))
    assert drifted.theta == pytest.approx(0.5, abs=1e-6)
    assert drifted.se == pytest.approx(np.sqrt(0.3**2 + 0.4), abs=0.01)
    np.testing.assert_allclose(drift_log_posterior(log_post, days=0), log_post, atol=1e-12)
    huge = drift_log_posterior(log_post, days=1e6)
    assert huge.shape == GRID.shape and np.isfinite(eap(huge).theta)


def test_band_of_and_band_probabilities() -> None:
    cuts = [-1.5, -0.5, 0.5, 1.5]
    np.testing.assert_array_equal(band_of([-2.0, -1.5, 0.0, 0.49, 0.5, 9.0], cuts), [0, 1, 2, 2, 3, 4])
    probs = band_probabilities(prior_log_density(0.0, 1.0), cuts)
    assert probs.sum() == pytest.approx(1.0)
    # N(0, 1): P(-0.5 < theta < 0.5) = 0.383; the grid's half-open bins give it within a grid step
    assert probs[2] == pytest.approx(0.383, abs=0.03)
    assert probs[0] == pytest.approx(probs[4])


def test_cut_points_sit_between_author_levels() -> None:
    rng = np.random.default_rng(3)
    levels = np.repeat(np.arange(5), 40)
    b = (levels - 2.0) + rng.normal(0, 0.3, len(levels))
    cuts = cefr_cut_points(b, np.ones_like(b), levels)
    np.testing.assert_allclose(cuts, [-1.5, -0.5, 0.5, 1.5], atol=0.15)
    shifted = cefr_cut_points(b, np.ones_like(b), levels, response_probability=0.75)
    np.testing.assert_allclose(shifted - cuts, np.log(3.0))


def test_cut_points_need_every_level() -> None:
    with pytest.raises(ValueError, match="C1"):
        cefr_cut_points([0.0, 1.0, 2.0, 3.0], [1.0] * 4, [0, 1, 2, 3])


def test_calibration_recovers_item_parameters_from_a_sparse_log() -> None:
    rng = np.random.default_rng(0)
    n_items, n_learners, per = 60, 1500, 20
    a, b = rng.lognormal(0.0, 0.3, n_items), rng.uniform(-2.0, 2.0, n_items)
    theta = rng.normal(0.0, 1.0, n_learners)
    learners = np.repeat(np.arange(n_learners), per)
    items = np.concatenate([rng.choice(n_items, per, replace=False) for _ in range(n_learners)])
    y = rng.random(len(items)) < p_correct(theta[learners], a[items], b[items])
    model = TwoPLCalibrator(n_items=n_items).fit(np.c_[learners, items], y)
    assert model.converged_
    assert np.sqrt(np.mean((model.b_ - b) ** 2)) < 0.2
    assert np.corrcoef(model.a_, a)[0, 1] > 0.7
    assert 0.15 < model.log_a_prior_sd_ < 0.45  # the bank's spread of log a (0.3), learnt by EM
    assert np.corrcoef(model.theta_, theta)[0, 1] > 0.85
    proba = model.predict_proba(np.c_[learners[:5], items[:5]])
    assert proba.shape == (5,) and np.all((proba > 0) & (proba < 1))


def test_calibration_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        TwoPLCalibrator().fit(np.array([1, 2, 3]), np.array([1, 0, 1]))
    with pytest.raises(ValueError, match="out of range"):
        TwoPLCalibrator(n_items=2).fit(np.array([[0, 5]]), np.array([1]))
