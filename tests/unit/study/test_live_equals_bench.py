"""The live scheduler and the benchmarked model are one: replaying a real review log through the request
path's functions (`learning_api.study.memory`) gives the states, recall and due dates of the vectorised
replay that `scripts/bench/` scores (`models.replay.run_fsrs`), to 1e-6, with non-default weights and the
cold start of first answers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from learning_api.db.tables import ReviewState
from learning_api.study.memory import DESIRED_RETENTION, MemoryParams, apply_review, recall_now
from models.memory import (
    AGAIN,
    FSRS6_DEFAULT_WEIGHTS,
    SECONDS_PER_DAY,
    WEIGHT_LOWER,
    WEIGHT_UPPER,
    MemoryState,
    next_interval,
)
from models.replay import History, run_fsrs
from models.reviewlog import read_review_csv

REVIEWS = Path(__file__).resolve().parents[2] / "data" / "reviews" / "anki_josh_2024_head.csv"


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@pytest.mark.parametrize("exact_time", [False, True])
def test_live_scheduler_replays_the_log_as_the_bench_does(exact_time: bool) -> None:
    log = read_review_csv(REVIEWS).take(slice(0, 3000))
    rng = np.random.default_rng(11)
    weights = np.clip(FSRS6_DEFAULT_WEIGHTS * rng.uniform(0.8, 1.25, 21), WEIGHT_LOWER, WEIGHT_UPPER)
    params = MemoryParams(weights, exact_time, "learner", 3)
    item_p = rng.uniform(0.2, 0.99, int(log.item.max()) + 1)  # each item's predicted first success
    first_p = item_p[log.item]

    history = History.from_log(log)
    trace = run_fsrs(history, weights, exact_time, first_p)
    states = MemoryState(trace.difficulty_after, trace.stability_after, log.time,
                         np.zeros(len(log), np.int32), np.zeros(len(log), np.int32))  # fmt: skip
    bench_due = log.time + next_interval(states, DESIRED_RETENTION, weights) * SECONDS_PER_DAY

    rows: dict[int, ReviewState] = {}
    live = np.empty((len(log), 4))
    for i, (item, grade, when) in enumerate(zip(log.item, log.grade, log.time, strict=True)):
        row, at = rows.get(int(item)), _utc(float(when))
        r = recall_now([row], at, params)[0] if row is not None else 0.0
        d, s, last, reps, lapses, due = apply_review(
            row, int(grade), at, params, None if row is not None else float(item_p[item])
        )
        rows[int(item)] = ReviewState(difficulty=d, stability=s, last_review=last, reps=reps, lapses=lapses,
                                      due=due)  # fmt: skip
        live[i] = r, s, d, due.timestamp()

    scored = history.days >= 1  # the reviews the bench scores (within a day the replay does not ask R)
    np.testing.assert_allclose(live[scored, 0], trace.r[scored], rtol=0, atol=1e-6)
    np.testing.assert_allclose(live[:, 1], trace.stability_after, rtol=0, atol=1e-6)
    np.testing.assert_allclose(live[:, 2], trace.difficulty_after, rtol=0, atol=1e-6)
    passed = log.grade != AGAIN  # a lapse is relearned the same day instead (the study rule)
    np.testing.assert_allclose(live[passed, 3], bench_due[passed], rtol=0, atol=1e-3)
    assert not np.allclose(weights, FSRS6_DEFAULT_WEIGHTS)
