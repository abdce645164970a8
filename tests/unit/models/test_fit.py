"""Weight fitting: exact gradients, recovery of known weights, per-learner shrinkage."""

from __future__ import annotations

import numpy as np
import pytest

from models.fit import FitTarget, fit_fsrs, fit_per_learner, loss_and_gradient
from models.memory import FSRS6_DEFAULT_WEIGHTS, SECONDS_PER_DAY, MemoryState, retrievability, review
from models.replay import History
from models.reviewlog import ReviewLog

TRUE_WEIGHTS = FSRS6_DEFAULT_WEIGHTS.copy()
TRUE_WEIGHTS[[2, 8, 20]] = [6.0, 1.2, 0.5]  # easier first recall, slower growth, steeper forgetting


def simulate(rng: np.random.Generator, learner: str, cards: int, reviews: int) -> ReviewLog:
    """Reviews of `cards` items, each 0.1-4 × S days after the last, recalled with probability R."""
    states = review(MemoryState.new(cards), np.full(cards, 3), 1.7e9, TRUE_WEIGHTS)
    times, items, grades = [np.full(cards, 1.7e9)], [np.arange(cards)], [np.full(cards, 3)]
    for _ in range(reviews - 1):
        now = states.last_review + np.ceil(rng.uniform(0.1, 4.0, cards) * states.stability) * SECONDS_PER_DAY
        recalled = rng.random(cards) < retrievability(states, now, TRUE_WEIGHTS)
        grade = np.where(recalled, 3, 1)
        states = review(states, grade, now, TRUE_WEIGHTS)
        times.append(now), items.append(np.arange(cards)), grades.append(grade)
    n = cards * reviews
    return ReviewLog.build(
        learner=[learner] * n,
        item=list(np.concatenate(items)),
        time=np.concatenate(times),
        grade=np.concatenate(grades),
        duration_ms=np.full(n, 5000.0),
    )


@pytest.fixture(scope="module")
def synthetic() -> FitTarget:
    return FitTarget.from_history(History.from_log(simulate(np.random.default_rng(1), "a", 400, 8)))


def test_complex_step_gradient_matches_finite_differences(synthetic: FitTarget) -> None:
    w = FSRS6_DEFAULT_WEIGHTS
    _, grad = loss_and_gradient(w, synthetic, w, 3.0)
    for k in (0, 2, 8, 10, 20):
        bump = np.zeros_like(w)
        bump[k] = 1e-6
        up, _ = loss_and_gradient(w + bump, synthetic, w, 3.0)
        down, _ = loss_and_gradient(w - bump, synthetic, w, 3.0)
        assert grad[k] == pytest.approx((up - down) / 2e-6, rel=1e-4, abs=1e-3)


def test_fit_beats_default_weights_and_nears_the_truth(synthetic: FitTarget) -> None:
    fitted = fit_fsrs(synthetic)
    n = len(synthetic.scored)

    def loss(w: np.ndarray) -> float:
        return loss_and_gradient(w, synthetic, w, 0.0)[0] / n

    assert loss(fitted) <= loss(TRUE_WEIGHTS) + 1e-3
    assert loss(FSRS6_DEFAULT_WEIGHTS) > loss(fitted) + 0.01
    # the first-Good stability is well identified here (every card starts with Good); the decay is not
    assert abs(fitted[2] - TRUE_WEIGHTS[2]) < 0.5 * abs(FSRS6_DEFAULT_WEIGHTS[2] - TRUE_WEIGHTS[2])


def test_per_learner_fit_skips_sparse_learners_and_shrinks_to_global() -> None:
    rng = np.random.default_rng(2)
    busy, sparse = simulate(rng, "busy", 200, 6), simulate(rng, "sparse", 10, 3)
    joined = ReviewLog.build(
        learner=["busy"] * len(busy) + ["sparse"] * len(sparse),
        item=[f"b{i}" for i in busy.item] + [f"s{i}" for i in sparse.item],
        time=np.r_[busy.time, sparse.time],
        grade=np.r_[busy.grade, sparse.grade],
        duration_ms=np.r_[busy.duration_ms, sparse.duration_ms],
    )
    free = fit_per_learner(joined, FSRS6_DEFAULT_WEIGHTS, min_reviews=200, strength=0.0)
    pinned = fit_per_learner(joined, FSRS6_DEFAULT_WEIGHTS, min_reviews=200, strength=1e7)
    assert list(free) == list(pinned) == [0]
    assert np.abs(pinned[0] - FSRS6_DEFAULT_WEIGHTS).max() < 0.01
    assert np.abs(free[0] - FSRS6_DEFAULT_WEIGHTS).max() > 0.1


def test_lockstep_per_learner_fit_equals_each_learner_fitted_alone() -> None:
    """Learners of different sizes (one too sparse), same-day repeats, a train cut, exact time, recency
    weights and two chunks: every learner gets the weights its own `fit_fsrs` gives."""
    rng = np.random.default_rng(3)
    sizes = (("a", 60, 5), ("b", 25, 9), ("c", 120, 3), ("d", 8, 3), ("e", 40, 6))
    parts = [simulate(rng, name, cards, reviews) for name, cards, reviews in sizes]
    learner = [f"{k}" for k, part in enumerate(parts) for _ in range(len(part))]
    item = [f"{k}-{i}" for k, part in enumerate(parts) for i in part.item]
    time, grade = np.concatenate([p.time for p in parts]), np.concatenate([p.grade for p in parts])
    repeat = rng.random(len(time)) < 0.3  # drilled again ten minutes later in the same lesson
    log = ReviewLog.build(
        learner=learner + [x for x, r in zip(learner, repeat, strict=True) if r],
        item=item + [x for x, r in zip(item, repeat, strict=True) if r],
        time=np.r_[time, time[repeat] + 600.0],
        grade=np.r_[grade, rng.integers(1, 5, repeat.sum())],
        duration_ms=np.full(len(time) + repeat.sum(), 5000.0),
    )
    train = log.time < np.quantile(log.time, 0.8)
    options = {"recency_half_life": 100.0, "exact_time": True}
    together = fit_per_learner(log, TRUE_WEIGHTS, train, min_reviews=100, strength=50.0, chunk_rows=800,
                               **options)
    alone = {}
    for code in np.unique(log.learner):
        rows = np.flatnonzero(log.learner == code)
        target = FitTarget.from_history(History.from_log(log.take(rows)), train[rows], **options)
        if len(target.scored) >= 100:
            alone[int(code)] = fit_fsrs(target, prior=TRUE_WEIGHTS, strength=50.0)
    assert sorted(together) == sorted(alone) and len(alone) == 4
    for code, weights in alone.items():
        assert np.abs(together[code] - weights).max() < 1e-8
        assert np.abs(weights - TRUE_WEIGHTS).max() > 1e-3  # the fits moved: the comparison means something


def test_a_fit_replays_only_the_rows_its_loss_needs_and_scores_the_same(synthetic: FitTarget) -> None:
    """Scoring only the first half of the log: the rows after each pair's last scored review (and pairs
    never scored) drop out of the replay, and the loss and its gradient do not move."""
    history = synthetic.history
    early = np.zeros(len(history.pair), bool)
    early[: len(early) // 2] = True
    early[history.pair % 3 == 0] = False  # a third of the pairs are never scored
    target = FitTarget.from_history(history, early)
    needed = target.needed()
    assert len(needed.history.pair) < 0.5 * len(history.pair)
    assert needed.history.n_pairs < history.n_pairs
    w = TRUE_WEIGHTS
    full, trimmed = loss_and_gradient(w, target, w, 3.0), loss_and_gradient(w, needed, w, 3.0)
    assert trimmed[0] == full[0]
    np.testing.assert_array_equal(trimmed[1], full[1])
