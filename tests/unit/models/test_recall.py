"""The recall model on the real log: no peeking at later answers, and better than FSRS-6 defaults;
the per-item track record it reads, on a log small enough to count by hand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.features import card_record
from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.metrics import log_loss
from models.recall import RecallModel
from models.replay import History, run_fsrs
from models.reviewlog import ReviewLog, read_review_csv

REVIEWS = Path(__file__).resolve().parents[2] / "data" / "reviews" / "anki_josh_2024_head.csv"
HEAD = 6000  # the first months: enough to fit, small enough to stay quick


@pytest.fixture(scope="module")
def log() -> ReviewLog:
    return read_review_csv(REVIEWS).take(slice(0, HEAD))


@pytest.fixture(scope="module")
def fitted(log: ReviewLog) -> RecallModel:
    train = np.zeros(len(log), dtype=bool)
    train[: HEAD // 2] = True
    return RecallModel(day_start_hour=10.0).fit(log, train)


def test_predictions_use_only_earlier_answers(log: ReviewLog, fitted: RecallModel) -> None:
    cut = 4500
    flipped = log.grade.copy()
    flipped[cut:] = np.where(flipped[cut:] == 1, 3, 1)
    before = fitted.predict(log)
    after = fitted.predict(replace(log, grade=flipped))
    np.testing.assert_allclose(after[: cut + 1], before[: cut + 1])
    assert not np.allclose(after[cut + 1 :], before[cut + 1 :])


def test_held_out_log_loss_beats_fsrs6_defaults(log: ReviewLog, fitted: RecallModel) -> None:
    history = History.from_log(log, 10.0)
    held_out = np.flatnonzero((np.arange(len(log)) >= HEAD // 2) & (history.days >= 1))
    y = (log.grade[held_out] > 1).astype(float)
    p = fitted.predict(log)[held_out]
    assert log_loss(y, p) < log_loss(y, run_fsrs(history, FSRS6_DEFAULT_WEIGHTS).r[held_out])
    assert np.all((p > 0) & (p < 1))


def test_card_record_counts_only_earlier_tests_of_the_item() -> None:
    day = 86_400.0
    # item a: learnt (Good, then Again the same day), tested on days 1, 3 and 7 (days start at 00:00
    # UTC); item b answered alongside
    times = [0.0, 300.0, 600.0, 1 * day, 1 * day + 60, 3 * day, 3 * day + 60, 7 * day]
    items = ["a", "a", "b", "a", "b", "a", "b", "a"]
    log = ReviewLog.build(
        learner=["x"] * 8,
        item=items,
        time=np.array(times),
        grade=np.array([3, 1, 3, 3, 3, 1, 3, 3]),
        duration_ms=np.where(np.array(items) == "a", 20_000.0, 2_000.0),
    )
    pass_rate, gap_ratio, no_gap, slowness = card_record(log, History.from_log(log, 0.0)).T
    # day 1: a's first test (no earlier test, no earlier gap); day 7: one pass in two tests, and
    # a 4-day gap after a 2-day one
    assert pass_rate[3] == pytest.approx(0.0) and no_gap[3] == 1
    assert pass_rate[7] == pytest.approx((1 + 2 * 0.8) / (2 + 2) - 0.8)
    assert gap_ratio[7] == pytest.approx(np.log(4 / 2), abs=1e-6) and no_gap[7] == 0
    # a takes ten times as long as b, so it reads slow and b quick against the learner's typical time
    assert slowness[7] > 0 > slowness[6]
