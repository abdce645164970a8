"""The recall model on the real log: no peeking at later answers, and better than FSRS-6 defaults."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.metrics import log_loss
from models.recall import RecallModel
from models.replay import History, run_fsrs
from models.reviewlog import ReviewLog, read_review_csv

REVIEWS = Path(__file__).resolve().parents[4] / "shared" / "data" / "reviews" / "anki_josh_2024.csv"
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
    assert not np.allclose(after[cut + 1:], before[cut + 1:])


def test_held_out_log_loss_beats_fsrs6_defaults(log: ReviewLog, fitted: RecallModel) -> None:
    history = History.from_log(log, 10.0)
    held_out = np.flatnonzero((np.arange(len(log)) >= HEAD // 2) & (history.days >= 1))
    y = (log.grade[held_out] > 1).astype(float)
    p = fitted.predict(log)[held_out]
    assert log_loss(y, p) < log_loss(y, run_fsrs(history, FSRS6_DEFAULT_WEIGHTS).r[held_out])
    assert np.all((p > 0) & (p < 1))
