"""Memory-state rows ↔ the vectorised memory model in models/, and the ability posterior per skill."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from learning_api.db.tables import Ability, ReviewState
from models import ability as irt
from models import memory

DESIRED_RETENTION = 0.9
# Before any evidence a learner is taken for a beginner (most who come here are), with a wide error: the
# first answers, or the placement test, move it quickly.
BEGINNER_PRIOR = (-2.0, 1.0)


def to_epoch(moment: datetime) -> float:
    return moment.timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def states_of(rows: Sequence[ReviewState | None]) -> memory.MemoryState:
    return memory.MemoryState.from_rows(
        (None, None, None, 0, 0)
        if row is None
        else (row.difficulty, row.stability, to_epoch(row.last_review), row.reps, row.lapses)
        for row in rows
    )


def recall_now(rows: Sequence[ReviewState], now: datetime) -> np.ndarray:
    if not rows:
        return np.zeros(0)
    return memory.retrievability(states_of(rows), to_epoch(now))


def apply_review(
    row: ReviewState | None, grade: int, at: datetime
) -> tuple[float, float, datetime, int, int, datetime]:
    """(difficulty, stability, last_review, reps, lapses, due) after one graded answer at ``at``.

    An answer recorded offline may arrive after a later one was applied; time never runs backwards in
    the state: such an answer counts as given at the last review (a same-day repeat)."""
    if row is not None and at < row.last_review:
        at = row.last_review
    state = memory.review(states_of([row]), np.array([grade]), to_epoch(at))
    due = memory.next_due(state, DESIRED_RETENTION)
    d, s, last, reps, lapses = state.rows()[0]
    return float(d), float(s), from_epoch(float(last)), reps, lapses, from_epoch(float(due[0]))


def prior_posterior() -> list[float]:
    return irt.prior_log_density(*BEGINNER_PRIOR).tolist()


def answer_weight(first_time: bool, self_graded: bool) -> float:
    """How much one study answer moves the ability estimate.

    IRT counts each item once; a review of an item already seen is not fresh evidence (it was just
    practised), so it counts for less, and so does a learner's own grading of a flashcard."""
    return (1.0 if first_time else 0.3) * (0.5 if self_graded else 1.0)


def update_ability(
    row: Ability, a: float, b: float, correct: bool, at: datetime, weight: float = 1.0
) -> None:
    log_post = np.asarray(row.posterior or prior_posterior())
    if row.updated_at is not None and at > row.updated_at:  # learners change: old evidence fades
        log_post = irt.drift_log_posterior(log_post, (at - row.updated_at).total_seconds() / 86_400)
    new = log_post + weight * irt.answer_log_likelihood(a, b, correct)
    new -= np.logaddexp.reduce(new)
    estimate = irt.eap(new)
    row.posterior = new.tolist()
    row.theta, row.se = estimate.theta, estimate.se
    row.n_answers += 1
    row.updated_at = at


def good_intervals(rows: Sequence[ReviewState | None], now: datetime) -> np.ndarray:
    """Days until each item would come back if answered well now (None: an item never seen)."""
    if not rows:
        return np.zeros(0)
    after = memory.review(states_of(rows), np.full(len(rows), memory.GOOD), to_epoch(now))
    return memory.next_interval(after, DESIRED_RETENTION).astype(float)


def first_good_interval() -> float:
    """Days until a new item comes back after a first good answer (the same for every new item)."""
    return float(good_intervals([None], from_epoch(0.0))[0])
