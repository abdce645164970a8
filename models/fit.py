"""Fitting FSRS-6 weights to answer logs: one global set, then per learner shrunk towards it.

No torch: the loss is the log loss of the vectorised replay (`models.replay.run_fsrs`), and its gradient
comes from the complex-step method. All 21 partial derivatives are taken in a single replay by running
21 imaginary-perturbed weight sets side by side as a (21, 21) weight batch; the result is exact to
machine precision (no subtraction error), which lets L-BFGS-B converge in a few dozen replays.

Shrinkage is a quadratic penalty towards a prior weight set, measured in units of each weight's allowed
range. The data term is a sum over reviews, so a learner with few reviews stays near the global fit and
one with many moves away from it, with no explicit switch.

Per-learner fits run in lockstep: one replay a round for every learner still fitting, each with its own
weights, each fit as it would run alone (`fit_fsrs_lockstep`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import minimize

from models.lockstep import solve_in_lockstep
from models.memory import FSRS6_DEFAULT_WEIGHTS, WEIGHT_LOWER, WEIGHT_UPPER
from models.replay import History, run_fsrs
from models.reviewlog import ReviewLog

_STEP = 1e-30
_RANGE = WEIGHT_UPPER - WEIGHT_LOWER
_EPS = 1e-6
CHUNK_ROWS = 50_000  # answers replayed together: bounded memory, and numpy's call overhead amortised


@dataclass(frozen=True)
class FitTarget:
    """What a weight set is scored on: the replayed history and the reviews counted in the loss."""

    history: History
    scored: np.ndarray
    recalled: np.ndarray
    weight: np.ndarray
    exact_time: bool = False

    def needed(self) -> FitTarget:
        """The same target on the rows its loss depends on: each pair's reviews up to its last scored one
        (`History.prefixes`); pairs never scored drop out. The loss and its gradient are the same, the
        replay's cost (its rows) about half on an app's log, where many pairs are new or same-day only."""
        last = np.zeros(self.history.n_pairs, np.int64)
        np.maximum.at(last, self.history.pair[self.scored], self.history.index[self.scored])
        history, rows = self.history.prefixes(last)
        position = np.empty(len(self.history.pair), np.int64)
        position[rows] = np.arange(len(rows))
        return replace(self, history=history, scored=position[self.scored])

    @classmethod
    def from_history(cls, history: History, scored: np.ndarray | None = None,
                     recency_half_life: float | None = None, exact_time: bool = False) -> FitTarget:
        """By default score every review at least one day after the previous one (srs-benchmark).

        `recency_half_life` (in scored reviews) weighs recent reviews more, for learners whose memory
        changes over the months the log covers. `exact_time`: see `models.replay.run_fsrs`.
        """
        mask = history.days >= 1 if scored is None else scored & (history.days >= 1)
        rows = np.flatnonzero(mask)
        age = np.arange(len(rows))[::-1]
        weight = np.ones(len(rows)) if recency_half_life is None else 0.5 ** (age / recency_half_life)
        return cls(history, rows, (history.grade[rows] > 1).astype(float), weight * len(rows) / weight.sum(),
                   exact_time)


def loss_and_gradient(w: np.ndarray, target: FitTarget, prior: np.ndarray, strength: float
                      ) -> tuple[float, np.ndarray]:
    """Summed log loss plus penalty, and its exact gradient, from one complex-step replay."""
    batch = w[:, None] + 1j * _STEP * np.eye(len(w))
    return _scored_loss(run_fsrs(target.history, batch, target.exact_time).r, w, target, prior, strength)


def _scored_loss(r: np.ndarray, w: np.ndarray, target: FitTarget, prior: np.ndarray, strength: float
                 ) -> tuple[float, np.ndarray]:
    """`loss_and_gradient` from the complex-step replay's R of the target's history (one learner's
    rows, alone or cut from a lockstep replay: the same values either way)."""
    r = r[target.scored]
    r = np.where(r.real < _EPS, _EPS, r)
    r = np.where(r.real > 1 - _EPS, 1 - _EPS, r)
    # the log of what happened, R or 1 - R: the terms `y·log R + (1 - y)·log(1 - R)` are, bit for bit,
    # with y 0 or 1, and one complex log instead of two
    happened = np.where(target.recalled[:, None] > 0, r, 1 - r)
    nll = -(target.weight[:, None] * np.log(happened)).sum(axis=0)
    penalty = strength * np.sum(((w - prior) / _RANGE) ** 2)
    grad = nll.imag / _STEP + 2 * strength * (w - prior) / _RANGE**2
    return float(nll[0].real + penalty), grad


def _minimize(objective: Callable[[np.ndarray], tuple[float, np.ndarray]], prior: np.ndarray,
              max_iter: int) -> np.ndarray:
    result = minimize(objective, np.clip(prior, WEIGHT_LOWER, WEIGHT_UPPER), jac=True, method="L-BFGS-B",
                      bounds=list(zip(WEIGHT_LOWER, WEIGHT_UPPER, strict=True)),
                      options={"maxiter": max_iter})
    return np.asarray(result.x)


def fit_fsrs(target: FitTarget, prior: np.ndarray = FSRS6_DEFAULT_WEIGHTS, strength: float = 0.0,
             max_iter: int = 50) -> np.ndarray:
    """Weights minimising log loss (+ shrinkage to `prior`) within py-fsrs bounds, started at the prior.

    Starting anywhere else (e.g. at the fit on a shorter log) converged to worse optima on the Anki log,
    and 50 L-BFGS-B iterations leave held-out log loss within 0.0005 of 100.
    """
    if len(target.scored) == 0:
        return prior.copy()
    n, target = len(target.scored), target.needed()

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = loss_and_gradient(w, target, prior, strength)
        return value / n, grad / n

    return _minimize(objective, prior, max_iter)


def fit_fsrs_lockstep(targets: Sequence[FitTarget], prior: np.ndarray, strength: float = 0.0,
                      max_iter: int = 50) -> list[np.ndarray]:
    """`[fit_fsrs(t, prior, strength, max_iter) for t in targets]`, every round one replay for all.

    Alone, a learner's replay is some 60 steps of ~100 numpy calls on arrays of a few pairs, much of it
    call overhead. In lockstep (`models.lockstep`) each round replays every still-running learner's
    history together, each with its own weights (`run_fsrs`'s `group`), and cuts each learner's loss
    from it: every fit follows the iterates it follows alone. The targets share `exact_time`; memory
    grows with their rows.
    """
    live = [target.needed() for target in targets if len(target.scored)]
    joined: dict[tuple[int, ...], tuple[History, np.ndarray, np.ndarray]] = {}

    def evaluate(points: dict[int, np.ndarray]) -> dict[int, tuple[float, np.ndarray]]:
        fits = tuple(sorted(points))
        if fits not in joined:  # the set shrinks only as fits finish: rebuild then, not every round
            histories = [live[f].history for f in fits]
            joined.clear()
            joined[fits] = (History.concat(histories),
                            np.repeat(np.arange(len(fits)), [h.n_pairs for h in histories]),
                            np.cumsum([0] + [len(h.pair) for h in histories]))
        history, group, starts = joined[fits]
        w = np.stack([points[f] for f in fits], axis=1)
        batch = w[:, :, None] + 1j * _STEP * np.eye(len(w))[:, None, :]
        r = run_fsrs(history, batch, live[0].exact_time, group=group).r
        answers = {}
        for column, f in enumerate(fits):
            n = len(live[f].scored)
            rows = r[starts[column]:starts[column + 1]]
            value, grad = _scored_loss(rows, points[f], live[f], prior, strength)
            answers[f] = (value / n, grad / n)
        return answers

    fitted = iter(solve_in_lockstep([lambda objective: _minimize(objective, prior, max_iter)] * len(live),
                                    evaluate))
    return [next(fitted) if len(target.scored) else prior.copy() for target in targets]


def fit_per_learner(log: ReviewLog, global_w: np.ndarray, train: np.ndarray | None = None,
                    min_reviews: int = 200, strength: float = 50.0, day_start_hour: float | None = None,
                    recency_half_life: float | None = None, exact_time: bool = False,
                    chunk_rows: int = CHUNK_ROWS) -> dict[int, np.ndarray]:
    """Weights for each learner with at least `min_reviews` scored reviews, shrunk to `global_w`.

    `train` flags the answers that may be scored (default: all). Learners below the threshold are left
    out: callers use `global_w` for them. Fitted in lockstep, in chunks of about `chunk_rows` answers
    (the replay holds a few (rows, 21) complex arrays, and per-row weights for one step's pairs).
    """
    learners, targets = [], []
    for learner in np.unique(log.learner):
        rows = np.flatnonzero(log.learner == learner)
        history = History.from_log(log.take(rows), day_start_hour)
        scored = None if train is None else train[rows]
        target = FitTarget.from_history(history, scored, recency_half_life, exact_time)
        if len(target.scored) >= min_reviews:
            learners.append(int(learner))
            targets.append(target)
    fitted: list[np.ndarray] = []
    chunk: list[FitTarget] = []
    rows = 0
    for target in targets:
        if chunk and rows + len(target.history.pair) > chunk_rows:
            fitted += fit_fsrs_lockstep(chunk, global_w, strength)
            chunk, rows = [], 0
        chunk.append(target)
        rows += len(target.history.pair)
    if chunk:
        fitted += fit_fsrs_lockstep(chunk, global_w, strength)
    return dict(zip(learners, fitted, strict=True))
