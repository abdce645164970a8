"""One review in scalars (`models.memory_one`, the single answer's path) gives what the vectorised model
gives for that state: on random states (never reviewed, same day, later days), grades, cold starts and
weights, to 1e-9, and the same due date; and `apply_reviews` of one row equals that row among others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from learning_api.study.memory import MemoryParams, apply_reviews
from learning_api.study.repository import StateRow
from models.memory import (
    FSRS6_DEFAULT_WEIGHTS,
    SECONDS_PER_DAY,
    WEIGHT_LOWER,
    WEIGHT_UPPER,
    MemoryState,
    next_due,
    review,
)
from models.memory_one import review_one

T0 = datetime(2026, 12, 1, 9, 30, tzinfo=UTC).timestamp()


def _case(rng: np.random.Generator) -> dict:
    kind = rng.integers(3)  # never reviewed, reviewed today, reviewed days ago
    elapsed = 0.0 if kind == 0 else rng.uniform(60, 20 * 3600) if kind == 1 else rng.uniform(1, 400) * 86_400
    seen = kind != 0
    return {
        "difficulty": float(rng.uniform(1, 10)) if seen else None,
        "stability": float(np.exp(rng.uniform(-5, 7))) if seen else None,
        "last_review": T0 - elapsed if seen else None,
        "reps": int(rng.integers(1, 30)) if seen else 0,
        "lapses": int(rng.integers(0, 5)) if seen else 0,
        "grade": int(rng.integers(1, 5)),
        "first_p": None if rng.random() < 0.3 else float(rng.uniform(0, 1)),
        "weights": FSRS6_DEFAULT_WEIGHTS if rng.random() < 0.3 else rng.uniform(WEIGHT_LOWER, WEIGHT_UPPER),
        "exact_time": bool(rng.random() < 0.5),
        "retention": float(rng.uniform(0.7, 0.97)),
    }


def test_one_review_in_scalars_is_the_vectorised_review() -> None:
    rng = np.random.default_rng(14)
    for _ in range(3000):
        c = _case(rng)
        state = MemoryState.from_rows(
            [(c["difficulty"], c["stability"], c["last_review"], c["reps"], c["lapses"])]
        )
        cold = None if c["first_p"] is None else np.array([c["first_p"]])
        moved = review(state, [c["grade"]], T0, c["weights"], exact_time=c["exact_time"], first_p=cold)
        due = next_due(moved, c["retention"], c["weights"])
        ((d, s, last, reps, lapses),) = moved.rows()
        one = review_one(
            c["difficulty"], c["stability"], c["last_review"], c["reps"], c["lapses"], c["grade"], T0,
            c["weights"], c["retention"], exact_time=c["exact_time"], first_p=c["first_p"],
        )  # fmt: skip
        assert one[0] == pytest.approx(d, rel=1e-9) and one[1] == pytest.approx(s, rel=1e-9), c
        assert one[2:5] == (last, reps, lapses) and one[5] == float(due[0]), c


def test_out_of_range_grades_are_refused_as_by_the_vector_path() -> None:
    for grade in (0, 5):
        with pytest.raises(ValueError):
            review_one(None, None, None, 0, 0, grade, T0, FSRS6_DEFAULT_WEIGHTS, 0.9)


def test_applying_one_row_equals_applying_it_among_others() -> None:
    """The intake's single answer (one row: the scalar path) and a batch holding the same row (the
    vectorised path) move it alike, cold starts and offline answers arriving late included."""
    rng = np.random.default_rng(3)
    at = datetime.fromtimestamp(T0, UTC)
    params = MemoryParams(weights=rng.uniform(WEIGHT_LOWER, WEIGHT_UPPER), exact_time=True, retention=0.88)
    other = StateRow("other", 5.0, 4.0, at - timedelta(days=3), at, 3, 0)
    for _ in range(500):
        c = _case(rng)
        row = None
        if c["difficulty"] is not None:
            last = datetime.fromtimestamp(c["last_review"], UTC)
            row = StateRow("x", c["difficulty"], c["stability"], last, None, c["reps"], c["lapses"])
        when = at - timedelta(seconds=float(rng.uniform(0, 2 * SECONDS_PER_DAY)))  # may precede the last
        cold = [c["first_p"]] if row is None else None
        (alone,) = apply_reviews([row], [c["grade"]], [when], params, cold)
        among, _ = apply_reviews(
            [row, other], [c["grade"], 3], [when, at], params, None if cold is None else [*cold, None]
        )
        assert alone[0] == pytest.approx(among[0], rel=1e-9) and alone[1] == pytest.approx(among[1], rel=1e-9)
        assert alone[2:] == among[2:]
