"""Classifying CAT: item choice, content balance, exposure, stopping, JSON state."""

from __future__ import annotations

import json

import numpy as np
import pytest

from models.ability import p_correct
from models.placement import (
    STOP_BAND,
    STOP_LENGTH,
    STOP_SE,
    ItemBank,
    PlacementConfig,
    PlacementState,
    next_item,
    placement_result,
    record_answer,
    start_placement,
    stop_reason,
)

CONFIG = PlacementConfig()


def make_bank(n_items: int = 300, seed: int = 0) -> ItemBank:
    rng = np.random.default_rng(seed)
    return ItemBank.from_arrays(
        rng.lognormal(0.0, 0.25, n_items), rng.uniform(-3.0, 3.0, n_items), np.arange(n_items) % 5
    )


def take_test(bank: ItemBank, theta: float, seed: int, config: PlacementConfig = CONFIG) -> PlacementState:
    rng = np.random.default_rng(seed)
    state = start_placement(config)
    while (item := next_item(state, bank, config, rng)) is not None:
        correct = rng.random() < p_correct(theta, bank.a[item], bank.b[item])
        state = record_answer(state, bank, item, bool(correct))
    return state


def test_first_item_targets_the_prior_centre_then_the_least_certain_cut() -> None:
    bank = make_bank()
    config = PlacementConfig(randomesque=1, randomesque_ratio=1.0, prior_mean=-1.0)
    state = start_placement(config)
    item = next_item(state, bank, config, np.random.default_rng(0))
    assert item is not None and abs(bank.b[item] - (-1.0)) < 0.5
    state = record_answer(state, bank, item, True)
    second = next_item(state, bank, config, np.random.default_rng(0))
    assert second is not None and min(abs(bank.b[second] - c) for c in config.cuts) < 0.3


def _two_level_bank(n_per_level: int = 400) -> ItemBank:
    """A real bank's shape: only A1 and A2 items, every item of a level with the same prior difficulty."""
    level = np.repeat([0, 1], n_per_level)
    return ItemBank.from_arrays(
        np.ones(2 * n_per_level), np.where(level == 0, -2.89, -1.89), np.arange(2 * n_per_level) % 5, level
    )


def test_above_the_top_level_of_the_bank_is_at_least_that_level() -> None:
    bank = _two_level_bank()
    config = PlacementConfig(prior_mean=-1.5)
    state = start_placement(config)
    rng = np.random.default_rng(3)
    while (item := next_item(state, bank, config, rng)) is not None:
        state = record_answer(state, bank, item, True)
    result = placement_result(state, bank, config)
    assert result.band == 1 and result.at_least and len(result.band_probabilities) == 3  # A1, A2, >A2
    assert set(bank.level[state.items]) <= {0, 1}


def test_tied_items_are_spread_over_many_tests() -> None:
    bank = _two_level_bank()
    config = PlacementConfig(prior_mean=-1.5)
    rng = np.random.default_rng(4)
    uses = np.zeros(len(bank.a))
    for theta in rng.normal(-1.5, 1.0, 200):
        state = start_placement(config)
        while (item := next_item(state, bank, config, rng)) is not None:
            state = record_answer(state, bank, item, bool(rng.random() < p_correct(theta, 1.0, bank.b[item])))
        uses[state.items] += 1
    assert uses.max() / 200 < 0.25 and (uses > 0).sum() > 300


def test_test_is_reproducible_with_a_seed_and_never_repeats_an_item() -> None:
    bank = make_bank()
    first, again = take_test(bank, 0.3, seed=5), take_test(bank, 0.3, seed=5)
    assert first.items == again.items and first.correct == again.correct
    assert len(set(first.items)) == len(first.items)
    with pytest.raises(ValueError, match="already"):
        record_answer(first, bank, first.items[0], True)


def test_strong_and_weak_learners_are_placed_at_the_ends_quickly() -> None:
    bank = make_bank()
    strong, weak = take_test(bank, 3.0, seed=1), take_test(bank, -3.0, seed=2)
    assert placement_result(strong, bank, CONFIG).band == 4
    assert placement_result(weak, bank, CONFIG).band == 0
    assert len(strong.items) < 15 and len(weak.items) < 15
    assert stop_reason(strong, bank, CONFIG) == STOP_BAND


def test_placement_is_mostly_right_on_a_simulated_cohort() -> None:
    bank = make_bank(400, seed=1)
    rng = np.random.default_rng(9)
    thetas = rng.normal(0.0, 1.0, 80)
    results = [placement_result(take_test(bank, t, seed=i), bank, CONFIG) for i, t in enumerate(thetas)]
    bands = np.array([r.band for r in results])
    true = np.searchsorted(CONFIG.cuts, thetas, side="right")
    assert np.mean(bands == true) > 0.6
    assert np.all(np.abs(bands - true) <= 1)
    assert max(r.n_items for r in results) <= CONFIG.max_items


def test_content_is_balanced_across_skills() -> None:
    bank = make_bank()
    state = take_test(bank, 0.5, seed=3, config=PlacementConfig(band_stop_start=1.1, band_stop_end=1.1))
    counts = np.bincount(bank.skill[state.items], minlength=5)
    assert counts.max() - counts.min() <= 2


def test_exposure_cap_rests_overused_items() -> None:
    bank = make_bank()
    config = PlacementConfig(randomesque=1, max_exposure=0.3)
    state = start_placement(config)
    best = next_item(state, bank, config, np.random.default_rng(0))
    assert best is not None
    rates = np.zeros(len(bank.a))
    rates[best] = 0.9
    assert next_item(state, bank, config, np.random.default_rng(0), rates) != best
    uncapped = PlacementConfig(randomesque=1)
    assert next_item(state, bank, uncapped, np.random.default_rng(0), rates) == best


def test_stops_on_standard_error_and_on_length() -> None:
    bank = make_bank()
    no_band_rule = PlacementConfig(band_stop_start=1.1, band_stop_end=1.1)
    state = take_test(bank, 0.0, seed=4, config=no_band_rule)
    assert stop_reason(state, bank, no_band_rule) == STOP_SE
    short = PlacementConfig(band_stop_start=1.1, band_stop_end=1.1, se_stop=0.01, max_items=7)
    state = take_test(bank, 0.0, seed=4, config=short)
    assert len(state.items) == 7 and stop_reason(state, bank, short) == STOP_LENGTH
    assert next_item(state, bank, short, np.random.default_rng(0)) is None


def test_band_threshold_relaxes_with_length() -> None:
    assert CONFIG.band_threshold(0) == pytest.approx(CONFIG.band_stop_start)
    assert CONFIG.band_threshold(CONFIG.max_items) == pytest.approx(CONFIG.band_stop_end)
    assert CONFIG.band_threshold(5) > CONFIG.band_threshold(20)


def test_state_round_trips_through_json_and_resumes_identically() -> None:
    bank = make_bank()
    state = take_test(bank, 1.0, seed=6, config=PlacementConfig(max_items=4))
    restored = PlacementState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state
    rng_a, rng_b = np.random.default_rng(1), np.random.default_rng(1)
    assert next_item(state, bank, CONFIG, rng_a) == next_item(restored, bank, CONFIG, rng_b)


def test_per_skill_posteriors_move_only_with_their_skill() -> None:
    bank = make_bank()
    state = start_placement(CONFIG)
    item = int(np.flatnonzero(bank.skill == 2)[0])
    after = record_answer(state, bank, item, True)
    result = placement_result(after, bank, CONFIG)
    assert result.skill_theta[2] > 0.0
    assert result.skill_theta[0] == pytest.approx(0.0, abs=1e-9)
    assert sum(result.band_probabilities) == pytest.approx(1.0)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        ItemBank.from_arrays([1.0, 1.0], [0.0], [0, 1])
    with pytest.raises(ValueError, match="positive"):
        ItemBank.from_arrays([-1.0], [0.0], [0])
    with pytest.raises(ValueError, match="grid"):
        PlacementState.from_dict({"log_post": [0.0], "skill_log_post": [], "items": [], "correct": []})
