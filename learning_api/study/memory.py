"""Memory-state rows ↔ the vectorised memory model in models/, and the ability posterior per skill.

Every function here takes the learner's current memory parameters (`MemoryParams`: weights, and whether
they were fitted on exact elapsed time) and calls the same `models.memory` code the benchmarks replay, so
what the bench scores is what learners are scheduled by (`tests/unit/study/test_live_equals_bench.py`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from learning_api.db.tables import Ability, ReviewState
from models import ability as irt
from models import memory
from models.retention import DESIRED_RETENTION

if TYPE_CHECKING:
    from learning_api.study.repository import AbilityRow

# A lapse is relearned the same day: the item comes back this long after the wrong answer, while the
# memory model's state keeps the lapse (its next real interval is computed at the relearning answer).
RELEARN_AFTER = timedelta(minutes=10)
# Before any evidence a learner is taken for a beginner (most who come here are), with a wide error: the
# first answers, or the placement test, move it quickly.
BEGINNER_PRIOR = (-2.0, 1.0)


@dataclass(frozen=True)
class MemoryParams:
    """The memory model a learner is scheduled with; `source` says which fit (learner, global, default).
    `retention`: the recall, on this model's scale, at which an item comes back (the fit's calibrated
    target, `models.retention`; the product's own target for the default weights)."""

    weights: np.ndarray = field(default_factory=lambda: memory.FSRS6_DEFAULT_WEIGHTS.copy())
    exact_time: bool = False
    source: str = "fsrs6-default"
    version: int = 0
    retention: float = DESIRED_RETENTION


DEFAULT_PARAMS = MemoryParams()


def relearning(last_review: datetime | None, due: datetime | None) -> bool:
    """Whether a state is due for its same-day relearning step after a lapse (`RELEARN_AFTER`)."""
    return last_review is not None and due is not None and due - last_review <= RELEARN_AFTER


def to_epoch(moment: datetime) -> float:
    return moment.timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def states_of(rows: Sequence[ReviewState | None] | memory.MemoryState) -> memory.MemoryState:
    """The rows as the model's arrays (None: never reviewed). A `MemoryState` already made is taken as it
    is: a caller asking two questions of the same rows converts them once (the session's candidates:
    the per-row conversion was most of their cost at 200 candidates)."""
    if isinstance(rows, memory.MemoryState):
        return rows
    return memory.MemoryState.from_columns(
        [None if row is None else row.difficulty for row in rows],
        [None if row is None else row.stability for row in rows],
        [None if row is None or row.last_review is None else to_epoch(row.last_review) for row in rows],
        [0 if row is None else row.reps for row in rows],
        [0 if row is None else row.lapses for row in rows],
    )


def recall_now(
    rows: Sequence[ReviewState] | memory.MemoryState, now: datetime, params: MemoryParams = DEFAULT_PARAMS
) -> np.ndarray:
    if not len(rows):
        return np.zeros(0)
    return memory.retrievability(states_of(rows), to_epoch(now), params.weights, exact_time=params.exact_time)


Review = tuple[float, float, datetime, int, int, datetime]  # difficulty, stability, last, reps, lapses, due


def apply_review(
    row: ReviewState | None,
    grade: int,
    at: datetime,
    params: MemoryParams = DEFAULT_PARAMS,
    first_p: float | None = None,
) -> Review:
    """(difficulty, stability, last_review, reps, lapses, due) after one graded answer at ``at``.

    ``first_p``: for a first answer, the predicted success from the item's calibrated difficulty and the
    learner's ability (the cold start). A wrong answer comes back the same day (relearning).
    An answer recorded offline may arrive after a later one was applied; time never runs backwards in
    the state: such an answer counts as given at the last review (a same-day repeat)."""
    return apply_reviews([row], [grade], [at], params, None if first_p is None else [first_p])[0]


def apply_reviews(
    rows: Sequence[ReviewState | None],
    grades: Sequence[int],
    ats: Sequence[datetime],
    params: MemoryParams = DEFAULT_PARAMS,
    first_p: Sequence[float | None] | None = None,
) -> list[Review]:
    """`apply_review` for many (row, grade, at) at once, each row a different item: one call of the
    vectorised memory model for them all (a batch of offline answers in a few calls, not one per answer)."""
    ats = [
        at if row is None or at >= row.last_review else row.last_review
        for row, at in zip(rows, ats, strict=True)
    ]
    cold = None if first_p is None else np.array([np.nan if p is None else p for p in first_p], float)
    now = np.array([to_epoch(at) for at in ats])
    state = memory.review(
        states_of(rows), np.asarray(grades), now, params.weights, exact_time=params.exact_time, first_p=cold
    )
    dues = memory.next_due(state, params.retention, params.weights).tolist()
    out: list[Review] = []
    for (d, s, last, reps, lapses), at, grade, due in zip(state.rows(), ats, grades, dues, strict=True):
        moment = at + RELEARN_AFTER if grade == memory.AGAIN else from_epoch(float(due))
        out.append((float(d), float(s), from_epoch(float(last)), reps, lapses, moment))  # type: ignore[arg-type]
    return out


def prior_posterior() -> list[float]:
    return irt.prior_log_density(*BEGINNER_PRIOR).tolist()


def thetas(abilities: Iterable[Ability | AbilityRow]) -> dict[str, float]:
    """Each skill's ability as its posterior says (a row just made holds the beginner prior)."""
    return {a.skill: irt.eap(a.posterior).theta if a.posterior else a.theta for a in abilities}


def answer_weight(first_time: bool, self_graded: bool) -> float:
    """How much one study answer moves the ability estimate.

    Only a first attempt is ability evidence: a review of an item already seen says the learner
    remembers it (memory evidence, the review state's business), not that their level rose. A learner's
    own grading of a flashcard counts half."""
    return (1.0 if first_time else 0.0) * (0.5 if self_graded else 1.0)


def guess_floor(exercise_type: str, options: Sequence[str] | None, kind: str | None = None) -> float:
    """Chance of a right answer by luck: 1/k for a k-option choice (an exercise or a question about a
    text), 1/3 for true/false/not given, 1/n! for matching n pairs, 0 for anything typed or spoken.
    ``kind``: the question kind of a reading or dialogue item; ``options`` of a match are its rights."""
    if kind == "true-false":
        return 1.0 / 3.0
    if kind == "match" and options:
        return 1.0 / math.factorial(len(options))
    return 1.0 / len(options) if (exercise_type == "choice" or kind == "choice") and options else 0.0


def update_ability(
    row: Ability | AbilityRow,
    a: float,
    b: float,
    correct: bool | float,
    at: datetime,
    weight: float = 1.0,
    guess: float = 0.0,
) -> None:
    """Add one answer's evidence to the skill's posterior; an answer of weight 0 is no evidence at all
    (it neither counts nor widens the posterior). ``correct`` may be a share from 0 to 1 instead of
    right/wrong: a writing or speaking task scored 15 of 25 on the rubric is taken as 0.6 right and 0.4
    wrong (the fractional binomial likelihood), so a score moves theta by how good it was."""
    if weight == 0.0:
        return
    if isinstance(correct, bool):
        likelihood = irt.answer_log_likelihood(a, b, correct, guess=guess)
    else:
        share = min(max(float(correct), 0.0), 1.0)
        likelihood = share * irt.answer_log_likelihood(a, b, True, guess=guess) + (
            1.0 - share
        ) * irt.answer_log_likelihood(a, b, False, guess=guess)
    add_evidence(row, weight * likelihood, at)


def add_evidence(row: Ability | AbilityRow, log_likelihood: np.ndarray, at: datetime) -> None:
    """The one way evidence enters a skill's posterior (a study answer, a mock exam part): old evidence
    fades first (learners change), then the likelihood on the grid is added and the estimate re-read."""
    log_post = np.asarray(row.posterior or prior_posterior())
    if row.updated_at is not None and at > row.updated_at:
        log_post = irt.drift_log_posterior(log_post, (at - row.updated_at).total_seconds() / 86_400)
    new = log_post + log_likelihood
    new -= np.logaddexp.reduce(new)
    estimate = irt.eap(new)
    row.posterior = new.tolist()
    row.theta, row.se = estimate.theta, estimate.se
    row.n_answers += 1
    row.updated_at = at


def good_intervals(
    rows: Sequence[ReviewState | None] | memory.MemoryState,
    now: datetime,
    params: MemoryParams = DEFAULT_PARAMS,
    first_p: Sequence[float] | None = None,
) -> np.ndarray:
    """Days until each item would come back if answered well now (None: an item never seen, whose first
    state follows the cold start from ``first_p``)."""
    if not len(rows):
        return np.zeros(0)
    after = memory.review(
        states_of(rows), np.full(len(rows), memory.GOOD), to_epoch(now), params.weights,
        exact_time=params.exact_time, first_p=None if first_p is None else np.asarray(first_p, float),
    )  # fmt: skip
    return memory.next_interval(after, params.retention, params.weights).astype(float)
