"""Linking a calibration to the authors' levels, and cut points from a calibrated bank."""

from __future__ import annotations

import numpy as np

from models.linking import anchored_cuts, link_to_levels

DEFAULT = (-1.5, -0.5, 0.5, 1.5)


def test_linking_undoes_a_shift_and_stretch_of_the_scale() -> None:
    rng = np.random.default_rng(0)
    levels = np.repeat([0, 1], 50)
    prior = np.where(levels == 0, -2.89, -1.89)
    true_b = prior + rng.normal(0, 0.4, 100)
    # a calibration on its own N(0, 1) scale sees the same bank stretched by 1.7 and shifted by +2.6
    a, b, slope, _shift = link_to_levels(np.full(100, 1.7), (true_b + 2.6) * 1.7, prior, levels, np.ones(100))
    assert abs(slope - 1 / 1.7) < 0.05
    assert np.allclose(b, true_b, atol=0.1) and np.allclose(a, 1.7 / slope)


def test_one_level_keeps_the_spread_and_matches_the_mean() -> None:
    _a, b, slope, _ = link_to_levels(
        np.ones(3), np.array([0.0, 1.0, 2.0]), np.full(3, -2.89), np.zeros(3), np.ones(3)
    )
    assert slope == 1.0 and np.isclose(b.mean(), -2.89) and np.isclose(np.ptp(b), 2.0)


def test_cuts_follow_the_bank_where_it_has_items_and_keep_default_spacing_above() -> None:
    mastery = np.log(4.0)
    b = np.array([-3.2, -3.0, -2.8, -2.1, -1.9])
    levels = np.array([0, 0, 0, 1, 1])
    cuts = anchored_cuts(b, levels, DEFAULT, mastery)
    assert np.isclose(cuts[0], -3.0 + mastery) and np.isclose(cuts[1], -2.0 + mastery)
    assert np.allclose(np.diff(cuts[1:]), 1.0)  # B1|B2 and B2|C1: the bank cannot place them, spacing kept
    assert np.allclose(anchored_cuts(b[:0], levels[:0], DEFAULT, mastery), DEFAULT)


def test_sharp_items_do_not_move_the_cuts() -> None:
    """The bands are points of the learner scale: a bank whose level-0 items came out sharp (a = 3) has
    its A1|A2 cut where a bank of reference items (a = 1) with the same difficulties has it."""
    mastery = np.log(4.0)
    levels = np.repeat([0, 1], 50)
    b = np.where(levels == 0, -2.89, -1.89) + np.random.default_rng(1).normal(0, 0.3, 100)
    cuts = anchored_cuts(b, levels, DEFAULT, mastery)
    assert abs(cuts[0] - DEFAULT[0]) < 0.15 and abs(cuts[1] - DEFAULT[1]) < 0.15
