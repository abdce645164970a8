"""Session mix: priorities, stretch zone, skill weights, interleaving, siblings, load smoothing, seeds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from models.session_mix import NO_LEMMA, SessionCandidates, SessionPlan, plan_session

FLAT_LOAD = np.full(14, 5.0)


def candidates(**overrides: object) -> SessionCandidates:
    """12 items: 6 due reviews (R 0.9 .. 0.4, back in 5 days), 6 new ones (back tomorrow); distinct topics
    and lemmas unless overridden."""
    n = 12
    base: dict[str, object] = {
        "skill": np.arange(n) % 5,
        "topic": np.arange(n),
        "lemma": np.arange(n),
        "due": np.arange(n) < 6,
        "is_new": np.arange(n) >= 6,
        "retrievability": np.r_[[0.9, 0.5, 0.7, 0.4, 0.8, 0.6], np.full(6, np.nan)],
        "p_success": np.r_[np.full(6, np.nan), [0.75, 0.95, 0.8, 0.3, 0.72, 0.84]],
        "next_interval_days": np.r_[np.full(6, 5.0), np.full(6, 1.0)],
    }
    base.update(overrides)
    return SessionCandidates.from_arrays(**base)  # type: ignore[arg-type]


def plan(items: SessionCandidates, seed: int = 0, **kwargs: object) -> SessionPlan:
    weights = kwargs.pop("skill_weights", np.ones(5))
    load = kwargs.pop("upcoming_load", FLAT_LOAD)
    return plan_session(items, weights, load, np.random.default_rng(seed), **kwargs)  # type: ignore[arg-type]


def test_due_reviews_come_lowest_r_first() -> None:
    order = plan(candidates(), max_new=0).order
    assert order == [3, 1, 5, 2, 4, 0]


def test_review_cap_keeps_the_most_forgotten() -> None:
    assert sorted(plan(candidates(), max_items=3, max_new=0).order) == [1, 3, 5]


def test_new_items_come_from_the_stretch_zone_first() -> None:
    chosen = set(plan(candidates(), max_new=4).order) - set(range(6))
    assert chosen == {6, 8, 10, 11}  # p 0.75, 0.8, 0.72, 0.84; not 0.95 or 0.3
    fallback = set(plan(candidates(), max_new=5).order) - set(range(6))
    assert 7 in fallback  # zone exhausted: the nearest outside (0.95 is 0.10 off, 0.3 is 0.40 off)


def test_new_items_are_spread_among_reviews() -> None:
    order = plan(candidates(), max_new=2).order
    positions = [order.index(i) for i in order if i >= 6]
    assert positions[0] > 0 and positions[-1] < len(order) - 1


def test_new_budget_follows_the_readiness_weights() -> None:
    n = 40
    items = candidates(
        skill=np.arange(n) % 5,
        topic=np.arange(n),
        lemma=np.arange(n),
        due=np.zeros(n, bool),
        is_new=np.ones(n, bool),
        retrievability=np.full(n, np.nan),
        p_success=np.full(n, 0.78),
        next_interval_days=np.full(n, 1.0),
    )
    weights = np.array([0.0, 0.0, 3.0, 1.0, 0.0])
    order = plan(items, skill_weights=weights, max_new=8, min_peak=100).order
    skills = np.bincount(items.skill[order], minlength=5)
    np.testing.assert_array_equal(skills, [0, 0, 6, 2, 0])


def test_topics_interleave_and_siblings_never_touch() -> None:
    topic = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 1, 2])
    lemma = np.array([7, 7, 8, 8, 9, 9, 3, 3, 4, 4, 5, NO_LEMMA])
    order = plan(candidates(topic=topic, lemma=lemma), max_new=6, min_peak=100).order
    assert len(order) == 12
    assert all(topic[x] != topic[y] for x, y in itertools.pairwise(order))
    assert all(lemma[x] != lemma[y] for x, y in itertools.pairwise(order))


def test_siblings_are_kept_apart_even_when_topics_cannot_be() -> None:
    topic = np.zeros(12, int)
    lemma = np.r_[[1, 1, 1, 2, 2, 2], np.arange(10, 16)]
    order = plan(candidates(topic=topic, lemma=lemma), max_new=0).order
    assert all(lemma[x] != lemma[y] for x, y in itertools.pairwise(order))


def test_same_seed_same_plan_and_ties_move_with_the_seed() -> None:
    n = 30
    items = candidates(
        skill=np.zeros(n, int),
        topic=np.arange(n),
        lemma=np.arange(n),
        due=np.zeros(n, bool),
        is_new=np.ones(n, bool),
        retrievability=np.full(n, np.nan),
        p_success=np.full(n, 0.78),
        next_interval_days=np.full(n, 1.0),
    )
    assert plan(items, seed=4, max_new=5, min_peak=100) == plan(items, seed=4, max_new=5, min_peak=100)
    picks = {tuple(sorted(plan(items, seed=s, max_new=5, min_peak=100).order)) for s in range(5)}
    assert len(picks) > 1


def _load_after(plan_days: list[int], upcoming: np.ndarray) -> np.ndarray:
    load = upcoming.astype(float).copy()
    for day in plan_days:
        if day <= len(load):
            load[day - 1] += 1
    return load


def test_review_days_spread_to_keep_every_day_under_one_and_a_half_times_the_mean() -> None:
    n = 20
    upcoming = np.full(30, 5.0)
    items = candidates(
        skill=np.arange(n) % 5,
        topic=np.arange(n),
        lemma=np.arange(n),
        due=np.ones(n, bool),
        is_new=np.zeros(n, bool),
        retrievability=np.linspace(0.3, 0.9, n),
        p_success=np.full(n, np.nan),
        next_interval_days=np.full(n, 20.0),  # all would land on day 20
    )
    result = plan(items, upcoming_load=upcoming)
    assert len(result.order) == n  # reviews are never dropped for smoothing
    assert all(17 <= d <= 23 for d in result.review_day)  # within +-15 % of the interval
    load = _load_after(result.review_day, upcoming)
    assert load.max() <= 1.5 * load.mean()
    unsmoothed = _load_after([20] * n, upcoming)
    assert unsmoothed.max() > 1.5 * unsmoothed.mean()  # so the test would fail without smoothing


def test_new_items_wait_when_tomorrow_is_already_a_peak() -> None:
    busy_tomorrow = np.r_[40.0, np.full(13, 5.0)]
    result = plan(candidates(), upcoming_load=busy_tomorrow)
    assert all(i < 6 for i in result.order)  # reviews stay, no new items add to day 1
    calm = plan(candidates(), upcoming_load=FLAT_LOAD)
    assert any(i >= 6 for i in calm.order)


def test_short_intervals_are_not_fuzzed_and_days_align_with_order() -> None:
    result = plan(candidates(next_interval_days=np.full(12, 2.0)), min_peak=100)
    assert set(result.review_day) == {2}
    assert len(result.review_day) == len(result.order)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="one length"):
        candidates(topic=np.arange(5))
    with pytest.raises(ValueError, match="both due"):
        candidates(is_new=np.ones(12, bool))
    with pytest.raises(ValueError, match="upcoming_load"):
        plan(candidates(), upcoming_load=np.array([]))
