"""The vectorised FSRS-6 model against py-fsrs on a real review log, and its own rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from fsrs import Card, Rating, Scheduler, State

from models.memory import (
    FSRS6_DEFAULT_WEIGHTS,
    SECONDS_PER_DAY,
    MemoryState,
    elapsed_days,
    next_due,
    retrievability,
    review,
)
from models.replay import History, run_fsrs
from models.reviewlog import ReviewLog, read_review_csv

REVIEWS = Path(__file__).resolve().parents[2] / "data" / "reviews" / "anki_josh_2024_head.csv"
T0 = datetime(2024, 5, 1, 18, 0, tzinfo=UTC).timestamp()


@pytest.fixture(scope="module")
def log() -> ReviewLog:
    return read_review_csv(REVIEWS)


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_replay_reproduces_py_fsrs_on_every_review_of_the_real_log(log: ReviewLog) -> None:
    trace = run_fsrs(History.from_log(log), FSRS6_DEFAULT_WEIGHTS)
    scheduler = Scheduler(enable_fuzzing=False)
    cards: dict[int, Card] = {}
    expected = np.empty((len(log), 3))
    for i, (item, grade, when) in enumerate(zip(log.item, log.grade, log.time, strict=True)):
        card = cards.get(item, Card(card_id=int(item) + 1))
        r = scheduler.get_card_retrievability(card, _utc(when))
        cards[item], _ = scheduler.review_card(card, Rating(int(grade)), _utc(when))
        expected[i] = r, cards[item].stability, cards[item].difficulty
    assert len(log) == 6_000  # the shipped head of the log (tests/data/README.md)
    np.testing.assert_allclose(trace.r, expected[:, 0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(trace.stability_after, expected[:, 1], rtol=0, atol=1e-6)
    np.testing.assert_allclose(trace.difficulty_after, expected[:, 2], rtol=0, atol=1e-6)


def _final_states(log: ReviewLog) -> MemoryState:
    history = History.from_log(log)
    trace = run_fsrs(history, FSRS6_DEFAULT_WEIGHTS)
    last = np.zeros(history.n_pairs, dtype=np.int64)
    last[history.pair] = np.arange(len(log))
    return MemoryState(
        trace.difficulty_after[last],
        trace.stability_after[last],
        log.time[last],
        history.index[last].astype(np.int32),
        np.zeros(history.n_pairs, np.int32),
    )


def test_review_retrievability_and_due_match_py_fsrs_card_by_card(log: ReviewLog) -> None:
    states = _final_states(log)
    rng = np.random.default_rng(7)
    now = states.last_review + rng.uniform(0.2, 40, len(states)) * SECONDS_PER_DAY
    grades = rng.integers(1, 5, len(states))
    new = review(states, grades, now)
    scores = retrievability(states, now)
    due = next_due(new, 0.9)
    scheduler = Scheduler(enable_fuzzing=False, relearning_steps=())
    for i in range(len(states)):
        card = Card(
            card_id=i + 1,
            state=State.Review,
            stability=float(states.stability[i]),
            difficulty=float(states.difficulty[i]),
            last_review=_utc(states.last_review[i]),
        )
        assert scores[i] == pytest.approx(scheduler.get_card_retrievability(card, _utc(now[i])), abs=1e-6)
        after, _ = scheduler.review_card(card, Rating(int(grades[i])), _utc(now[i]))
        assert new.stability[i] == pytest.approx(after.stability, abs=1e-6)
        assert new.difficulty[i] == pytest.approx(after.difficulty, abs=1e-6)
        assert due[i] == pytest.approx(after.due.timestamp(), abs=1e-3)
    assert np.array_equal(new.reps, states.reps + 1)


def test_same_day_drilling_does_not_compound_stability() -> None:
    """A lesson repeating an item ten times in one evening must not look like ten days of reviews."""
    states = review(MemoryState.new(1), [3], T0)
    after_first = states.stability[0]
    for minute in range(1, 10):
        states = review(states, [3], T0 + 60 * minute)
    assert states.stability[0] < 1.05 * after_first
    next_day = review(review(MemoryState.new(1), [3], T0), [3], T0 + 2 * SECONDS_PER_DAY)
    assert next_day.stability[0] > 1.5 * states.stability[0]
    assert states.lapses[0] == 0 and states.reps[0] == 10


def test_same_day_again_lowers_stability_but_counts_no_lapse() -> None:
    learned = review(MemoryState.new(1), [3], T0)
    missed = review(learned, [1], T0 + 600)
    assert missed.stability[0] < learned.stability[0]
    assert missed.lapses[0] == 0
    assert review(learned, [1], T0 + 3 * SECONDS_PER_DAY).lapses[0] == 1


def test_day_counting_anki_day_start_versus_24_hours() -> None:
    evening = datetime(2024, 5, 1, 23, 0, tzinfo=UTC).timestamp()
    next_noon = datetime(2024, 5, 2, 12, 0, tzinfo=UTC).timestamp()
    assert elapsed_days(np.array([evening]), next_noon)[0] == 0
    assert elapsed_days(np.array([evening]), next_noon, day_start_hour=10.0)[0] == 1
    assert elapsed_days(np.array([np.nan]), next_noon)[0] == 0


def test_unreviewed_pairs_score_zero_and_start_from_the_grade() -> None:
    states = MemoryState.new(4)
    assert np.all(retrievability(states, T0) == 0)
    first = review(states, [1, 2, 3, 4], T0)
    np.testing.assert_allclose(first.stability, FSRS6_DEFAULT_WEIGHTS[:4])
    assert np.all(np.diff(first.difficulty) < 0)


def test_rows_round_trip_keeps_never_reviewed_pairs() -> None:
    states = review(MemoryState.new(3), [3, 1, 4], T0).take(np.array([0, 1]))
    rows = [*states.rows(), (None, None, None, 0, 0)]
    back = MemoryState.from_columns(*zip(*rows, strict=True))
    assert back.rows() == rows
    assert np.isnan(back.stability[2]) and back.reps[2] == 0


def test_review_rejects_grades_outside_1_to_4() -> None:
    with pytest.raises(ValueError, match="grades"):
        review(MemoryState.new(2), [0, 3], T0)


def test_exact_time_uses_the_hours_but_keeps_calendar_days_for_repeats() -> None:
    evening = datetime(2024, 5, 1, 20, 0, tzinfo=UTC).timestamp()
    morning = evening + 0.6 * SECONDS_PER_DAY  # 10:24 next day: a new Anki day (10:00 start), 0.6 days on
    states = review(MemoryState.new(1), [3], evening)
    whole = retrievability(states, morning, day_start_hour=10.0)
    exact = retrievability(states, morning, day_start_hour=10.0, exact_time=True)
    assert exact[0] > whole[0]
    missed = review(states, [1], morning, day_start_hour=10.0, exact_time=True)
    assert missed.lapses[0] == 1  # a new day's miss, though under 24 hours
    drilled = review(states, [3], evening + 600, day_start_hour=10.0, exact_time=True)
    assert drilled.stability[0] == pytest.approx(review(states, [3], evening + 600).stability[0])
