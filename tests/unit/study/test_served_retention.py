"""The served scheduling target reaches the due dates and intervals the study rules hand out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from learning_api.db.tables import ModelParams, ReviewState
from learning_api.modelling.params import CurrentParams
from learning_api.study.memory import MemoryParams, apply_review, good_intervals
from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.retention import DESIRED_RETENTION

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_a_higher_target_brings_items_back_sooner() -> None:
    """Same memory, same answer: only the day it comes back moves (here 40 days at 0.9, 16 at 0.95)."""
    d, s, last, reps, lapses, _ = apply_review(None, 3, NOW - timedelta(days=30), MemoryParams(), first_p=0.8)
    row = ReviewState(difficulty=d, stability=s, last_review=last, reps=reps, lapses=lapses)
    product, stricter = (apply_review(row, 3, NOW, p) for p in (MemoryParams(), MemoryParams(retention=0.95)))
    assert product[:5] == stricter[:5]
    assert product[5] - NOW > 2 * (stricter[5] - NOW) > timedelta(days=2)
    assert good_intervals([row], NOW, MemoryParams(retention=0.95))[0] == (stricter[5] - NOW).days


def test_the_served_version_carries_its_target_and_an_older_one_the_products() -> None:
    weights = FSRS6_DEFAULT_WEIGHTS.tolist()
    fitted = ModelParams(model="memory", version=2, params={"weights": weights, "retention": 0.94})
    older = ModelParams(model="memory", version=1, params={"weights": weights})
    assert CurrentParams.from_rows(fitted, None).retention == 0.94
    assert CurrentParams.from_rows(older, None).retention == DESIRED_RETENTION
