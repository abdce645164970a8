"""Signals a language app has and Anki has not, computed for every answer from earlier answers only.

Each column uses only what was known before the answer (earlier answers of the learner, the item, the
lemma), so the same table serves training and prediction with no leakage through time. Columns:

- drill: how many times the pair was answered in its latest session. Being drilled 4+ times in one
  lesson marks a hard item, yet FSRS's same-day rule lets each pass raise stability (on the Anki log,
  recall after a 4+ drill is ~10 points below what fitted FSRS-6 predicts).
- agains: all earlier Again answers to the pair, same-day ones included (FSRS lapses skip those).
- form: the learner's recent residual, an EWMA of (outcome − FSRS R) over their earlier scored reviews:
  a learner on a good or bad streak.
- latency: log duration of the pair's previous answer relative to the learner's recent typical duration.
- clock: log of the exact time since the pair's previous answer over the whole days FSRS counts (a
  "1 day" gap may be 14 or 34 hours), and FSRS-6's own log stability and difficulty.
- exercise type (recognition vs production), calibrated item difficulty, lemma: how earlier answers to
  other items of the same lemma went, and the learner's running success rate when there are several
  learners to tell apart. Present only when the log carries them.

`card_record` adds the pair's own track record. With the layer of `models.recall` these columns
lowered log loss and raised AUC in each of the five time splits of the Anki log (chosen on that same
log, so the gain there is optimistic):
- pass rate: share of the pair's earlier scored reviews passed, shrunk to 0.8 by two pseudo-reviews.
  FSRS-6 folds the pair's record into stability and difficulty through fixed update rules; the raw
  rate lets the layer correct where those rules over- or under-react for this learner.
- gap ratio: log of this gap over the pair's previous gap of a day or more (and a flag when there is
  none). FSRS sees the gap only through R; how far the schedule jumped since the last test adds to it.
- slowness: mean relative log duration of all the pair's earlier answers. With it the layer can read
  `latency` per item: a slow last answer says less about an item that always takes long (a long
  sentence) than about one usually answered at once; on the Anki log it enters with the opposite sign
  to `latency`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from models.memory import AGAIN
from models.replay import History, Trace
from models.reviewlog import ReviewLog

FORM_HALF_LIFE = 50.0
LATENCY_HALF_LIFE = 200.0
PRIOR_RECALL = 0.8
"""Fixed starting points (not the log's own means, which would leak later answers into earlier rows)."""
PRIOR_LOG_MS = float(np.log(8000.0))


def _ewma_before(x: np.ndarray, half_life: float, prior: float, pseudo: float) -> np.ndarray:
    """Exponentially weighted mean of the values strictly before each position, started at `prior`."""
    a = 0.5 ** (1.0 / half_life)
    num = lfilter([1 - a], [1, -a], x)
    den = lfilter([1 - a], [1, -a], np.ones_like(x))
    num, den = np.r_[0.0, num[:-1]], np.r_[0.0, den[:-1]]
    return (num + prior * pseudo * (1 - a)) / (den + pseudo * (1 - a))


def _per_learner(log: ReviewLog, rows: np.ndarray, values: np.ndarray, half_life: float, prior: float,
                 pseudo: float) -> np.ndarray:
    """`_ewma_before` over each learner's own `rows` (time order), NaN elsewhere."""
    out = np.full(len(log), np.nan)
    for learner in np.unique(log.learner[rows]):
        own = rows[log.learner[rows] == learner]
        out[own] = _ewma_before(values[own], half_life, prior, pseudo)
    return out


def _sum_before(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sum of `values` over earlier rows of the same group (rows are in time order)."""
    order = np.argsort(groups, kind="stable")
    sorted_values = values[order]
    before = np.cumsum(sorted_values) - sorted_values
    starts = np.r_[True, groups[order][1:] != groups[order][:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(groups)), 0))
    out = np.empty(len(groups))
    out[order] = before - before[first]
    return out


def pair_history(history: History, log_ms: np.ndarray, relative_ms: np.ndarray) -> dict[str, np.ndarray]:
    """Per answer, from the pair's earlier answers: size of its latest session, Agains, log duration of
    its last answer, passes and count of its scored reviews, its last gap of a day or more (NaN if
    none), and the sum and count of its answers' relative log durations."""
    n = len(history.pair)
    names = ("drill", "agains", "last_log_ms", "passes", "tests", "last_gap", "relative_sum", "timed")
    state = {name: np.zeros(history.n_pairs) for name in names}
    state["last_log_ms"][:], state["last_gap"][:] = np.nan, np.nan
    out = {name: np.zeros(n) for name in names}
    recalled = history.grade > AGAIN
    scored = history.days >= 1
    for rows in history.steps:
        pairs = history.pair[rows]
        for name in names:
            out[name][rows] = state[name][pairs]
        state["drill"][pairs] = np.where(scored[rows], 1, state["drill"][pairs] + 1)
        state["agains"][pairs] += ~recalled[rows]
        state["last_log_ms"][pairs] = log_ms[rows]
        state["passes"][pairs] += recalled[rows] & scored[rows]
        state["tests"][pairs] += scored[rows]
        state["last_gap"][pairs] = np.where(scored[rows], history.real_days[rows], state["last_gap"][pairs])
        state["relative_sum"][pairs] += np.nan_to_num(relative_ms[rows])
        state["timed"][pairs] += np.isfinite(relative_ms[rows])
    return out


@dataclass(frozen=True)
class FeatureSpec:
    """Which optional columns a model was trained with, so later logs give the same table shape."""

    exercise_codes: tuple[int, ...]
    item_difficulty: bool
    lemma: bool
    learners: bool

    @classmethod
    def of(cls, log: ReviewLog) -> FeatureSpec:
        codes = tuple(int(c) for c in np.unique(log.exercise[log.exercise >= 0])[1:])
        return cls(codes, bool(np.isfinite(log.item_difficulty).any()), bool((log.lemma >= 0).any()),
                   len(np.unique(log.learner)) > 1)


def _durations(log: ReviewLog) -> tuple[np.ndarray, np.ndarray]:
    """(log duration of each answer, the learner's typical log duration before it)."""
    log_ms = np.log(np.clip(log.duration_ms, 300.0, 300_000.0))
    typical = _per_learner(log, np.arange(len(log)), np.nan_to_num(log_ms, nan=PRIOR_LOG_MS),
                           LATENCY_HALF_LIFE, PRIOR_LOG_MS, 1.0)
    return log_ms, typical


def _pair_history_of(log: ReviewLog, history: History) -> tuple[dict[str, np.ndarray], np.ndarray]:
    log_ms, typical = _durations(log)
    return pair_history(history, log_ms, log_ms - typical), typical


def recall_features(log: ReviewLog, history: History, trace: Trace, spec: FeatureSpec) -> np.ndarray:
    """Feature table (one row per answer) for the logistic layer; see the module docstring."""
    recalled = (log.grade > AGAIN).astype(float)
    scored = np.flatnonzero(history.days >= 1)
    pair, typical = _pair_history_of(log, history)
    residual = recalled - trace.r.real
    form = _per_learner(log, scored, residual, FORM_HALF_LIFE, 0.0, 5.0)
    drill = pair["drill"]
    clock = np.log(np.maximum(history.real_days, 1e-3)) - np.log(np.maximum(history.days, 1.0))
    columns = [drill == 3, drill == 4, drill >= 5, np.log1p(pair["agains"]), np.nan_to_num(form),
               np.nan_to_num(pair["last_log_ms"] - typical), np.nan_to_num(clock),
               np.log(np.nan_to_num(trace.stability_before.real, nan=1.0)),
               np.nan_to_num(trace.difficulty_before.real, nan=5.0)]
    columns += _language_app_columns(log, history, recalled, spec)
    return np.column_stack(columns).astype(float)


def card_record(log: ReviewLog, history: History) -> np.ndarray:
    """The pair's own track record (see the module docstring): pass rate, gap ratio, typical slowness."""
    pair, _ = _pair_history_of(log, history)
    pass_rate = (pair["passes"] + 2 * PRIOR_RECALL) / (pair["tests"] + 2) - PRIOR_RECALL
    gap_ratio = np.log(np.maximum(history.real_days, 1e-3)) - np.log(np.maximum(pair["last_gap"], 1e-3))
    slowness = pair["relative_sum"] / np.maximum(pair["timed"], 1.0)
    return np.column_stack([pass_rate, np.nan_to_num(gap_ratio), np.isnan(pair["last_gap"]), slowness])


def _language_app_columns(log: ReviewLog, history: History, recalled: np.ndarray, spec: FeatureSpec
                          ) -> list[np.ndarray]:
    columns: list[np.ndarray] = [log.exercise == code for code in spec.exercise_codes]
    if spec.item_difficulty:
        columns += [np.nan_to_num(log.item_difficulty), np.isnan(log.item_difficulty)]
    mean = PRIOR_RECALL
    if spec.lemma:
        known = log.lemma >= 0
        group = np.where(known, log.lemma, -1 - history.pair)
        ok = _sum_before(group, recalled) - _sum_before(history.pair, recalled)
        seen = _sum_before(group, np.ones(len(log))) - (history.index - 1)
        columns.append(np.where(known, (ok + 2 * mean) / (seen + 2) - mean, 0.0))
    if spec.learners:
        ok, seen = _sum_before(log.learner, recalled), _sum_before(log.learner, np.ones(len(log)))
        columns.append((ok + 10 * mean) / (seen + 10) - mean)
    return columns
