"""Replaying whole answer logs through the FSRS-6 memory model, all pairs at once.

Reviews are grouped by their position within their (learner, item) history: step k updates every pair
that has a k-th review in one vectorised call, so a log costs as many numpy calls as its longest history.
Everything that does not depend on the weights (elapsed days, positions, lapse counts) is computed once in
`History`, so the fitter can replay the same log many times cheaply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.memory import AGAIN, SECONDS_PER_DAY, elapsed_days, step
from models.reviewlog import ReviewLog


@dataclass(frozen=True)
class History:
    """Weight-free context of every review in a log (same order as the log).

    `days` are whole days as the memory model counts them, `real_days` the exact time since the pair's
    previous review (NaN at the first). `index` numbers a pair's reviews from 1; `day_index` numbers
    only those on a new day (a lesson's repeats share one number), the review number srs-benchmark
    bins RMSE(bins) by.
    """

    pair: np.ndarray
    days: np.ndarray
    real_days: np.ndarray
    grade: np.ndarray
    index: np.ndarray
    day_index: np.ndarray
    lapses_before: np.ndarray
    steps: tuple[np.ndarray, ...]
    n_pairs: int

    @classmethod
    def from_log(cls, log: ReviewLog, day_start_hour: float | None = None) -> History:
        n = len(log)
        _, pair = np.unique(log.item, return_inverse=True)
        order = np.lexsort((np.arange(n), pair))
        sorted_pair = pair[order]
        starts = np.r_[True, sorted_pair[1:] != sorted_pair[:-1]]
        group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n) - group_start
        previous = np.full(n, np.nan)
        prev_sorted = np.r_[np.nan, log.time[order][:-1]]
        previous[order] = np.where(starts, np.nan, prev_sorted)
        days = elapsed_days(previous, log.time, day_start_hour)

        def count_before(flags: np.ndarray) -> np.ndarray:
            ordered = flags[order].astype(np.int64)
            before = np.cumsum(ordered) - ordered
            out = np.empty(n, dtype=np.int64)
            out[order] = before - before[group_start]
            return out

        lapses_before = count_before((log.grade == AGAIN) & (days >= 1))
        day_index = count_before((days >= 1) | (position == 0)) + 1
        return cls(pair, days, (log.time - previous) / SECONDS_PER_DAY, log.grade.astype(np.int64),
                   position + 1, day_index, lapses_before, _steps(position), int(pair.max(initial=-1) + 1))

    @classmethod
    def concat(cls, histories: Sequence[History]) -> History:
        """Independent histories as one, rows and pairs in order (the fitter replays many learners at once).

        Each keeps its own context (built from its own log), so a pair's replay is the same as alone.
        """
        offsets = np.cumsum([0] + [h.n_pairs for h in histories])
        pair = np.concatenate([h.pair + offset for h, offset in zip(histories, offsets[:-1], strict=True)])

        def joined(name: str) -> np.ndarray:
            return np.concatenate([getattr(h, name) for h in histories])

        index = joined("index")

        return cls(pair, joined("days"), joined("real_days"), joined("grade"), index, joined("day_index"),
                   joined("lapses_before"), _steps(index - 1), int(offsets[-1]))

    def prefixes(self, length: np.ndarray) -> tuple[History, np.ndarray]:
        """Each pair's first ``length[pair]`` reviews (pairs with none drop out), and which rows they are.

        A review's replay depends only on the pair's earlier reviews, and each keeps its context from the
        whole log, so every kept review gets the R and states it gets in the whole replay.
        """
        rows = np.flatnonzero(self.index <= length[self.pair])
        kept, pair = np.unique(self.pair[rows], return_inverse=True)
        index = self.index[rows]
        return History(pair, self.days[rows], self.real_days[rows], self.grade[rows], index,
                       self.day_index[rows], self.lapses_before[rows], _steps(index - 1), len(kept)), rows


def _steps(position: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows grouped by position in their pair's history (row order kept within a group)."""
    by_position = np.argsort(position, kind="stable")
    bounds = np.searchsorted(position[by_position], np.arange(position.max(initial=-1) + 2))
    return tuple(by_position[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1))


@dataclass(frozen=True)
class Trace:
    """Per review: R predicted just before it, and the state before and after (NaN before the first)."""

    r: np.ndarray
    difficulty_before: np.ndarray
    stability_before: np.ndarray
    difficulty_after: np.ndarray
    stability_after: np.ndarray


def run_fsrs(history: History, w: np.ndarray, exact_time: bool = False,
             first_p: np.ndarray | None = None, group: np.ndarray | None = None) -> Trace:
    """Replay every pair's history with weights `w`, shape (21,) or (21, K) for K weight sets at once.

    `exact_time`: the forgetting curve gets the exact time since the previous review instead of whole
    days (same-day repeats stay same-day repeats); off, this is py-fsrs. `first_p`: per review of the
    log, the predicted success of a pair's first answer (cold start, `models.memory.first_state`).
    `group`: per pair, its column of `w`, then shape (21, G, K): G weight batches in one replay (one per
    learner of a `History.concat`), so many learners cost the numpy calls of one.
    """
    same_day = history.days < 1
    curve_days = np.where(same_day, history.days, history.real_days) if exact_time else history.days
    batch = () if w.ndim == 1 else (w.shape[-1],)
    dtype = np.result_type(w, float)
    n = len(history.pair)
    d_pair = np.full((history.n_pairs, *batch), np.nan, dtype=dtype)
    s_pair = np.full((history.n_pairs, *batch), np.nan, dtype=dtype)
    out = {name: np.empty((n, *batch), dtype=dtype) for name in ("r", "db", "sb", "da", "sa")}
    for rows in history.steps:
        pairs = history.pair[rows]
        days, grade = curve_days[rows], history.grade[rows]
        cold = None if first_p is None else first_p[rows]
        if batch:
            days, grade = days[:, None], grade[:, None]
            cold = None if cold is None else cold[:, None]
        d, s = d_pair[pairs], s_pair[pairs]
        column = None if group is None else group[pairs]
        r, d_new, s_new = step(d, s, days, grade, w, same_day[rows], cold, column)
        out["r"][rows], out["db"][rows], out["sb"][rows] = r, d, s
        out["da"][rows], out["sa"][rows] = d_new, s_new
        d_pair[pairs], s_pair[pairs] = d_new, s_new
    return Trace(out["r"], out["db"], out["sb"], out["da"], out["sa"])
