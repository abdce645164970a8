"""FSRS-6 memory model, vectorised over arrays of (learner, item) states.

One call scores or updates any number of states (the study service hands over a whole due queue, the
fitter a whole review log), so every formula is written over numpy arrays. The formulas are those of
py-fsrs 6.x, so that the same weights give the same stabilities; `tests/unit/models/test_memory.py`
holds them to 1e-6 against py-fsrs on a real review log.

The formulas also accept complex arrays and weights of shape (21, K) broadcasting against states of
shape (n, K): `models.fit` uses that to get exact gradients by the complex-step method in one pass.
Clamps therefore compare `.real` parts and never use `np.maximum` on possibly complex values. Weights of
shape (21, G, K) with a column per state give the states G different weight batches (see `step`).

Time is float epoch seconds; "never reviewed" is NaN. Elapsed days are counted either in whole 24-hour
periods (py-fsrs, `day_start_hour=None`) or in calendar days that start at a fixed UTC hour (Anki and
srs-benchmark, e.g. `day_start_hour=10.0` for a learner who sleeps through 10:00 UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FSRS6_DEFAULT_WEIGHTS = np.array([
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
])
"""py-fsrs `DEFAULT_PARAMETERS`: w0-w3 initial stability per grade, w4-w7 difficulty, w8-w16 long-term
stability, w17-w19 same-day stability, w20 the decay of the forgetting curve."""

WEIGHT_LOWER = np.array([
    0.001, 0.001, 0.001, 0.001, 1.0, 0.001, 0.001, 0.001, 0.0, 0.0, 0.001,
    0.001, 0.001, 0.001, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1,
])
WEIGHT_UPPER = np.array([
    100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5,
    5.0, 0.25, 0.9, 4.0, 1.0, 6.0, 2.0, 2.0, 0.8, 0.8,
])
STABILITY_MIN = 0.001
DIFFICULTY_MIN, DIFFICULTY_MAX = 1.0, 10.0
SECONDS_PER_DAY = 86_400.0
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
# Cold start: FSRS-6 gives every item the same first state for a grade. A language app knows more: the
# item's calibrated difficulty and the learner's ability give the predicted success p of the first answer.
# An item predicted at COLD_START_REFERENCE starts as FSRS-6 would; each logit below it adds difficulty and
# shortens the first stability (each logit above, the reverse), within +-COLD_START_MAX_LOGIT.
COLD_START_REFERENCE = 0.75
COLD_START_D_PER_LOGIT = 1.0
COLD_START_S_PER_LOGIT = 0.3
COLD_START_MAX_LOGIT = 2.0


@dataclass(frozen=True)
class MemoryState:
    """Memory of many (learner, item) pairs, one array element per pair (one DB row each).

    `last_review` is epoch seconds, NaN (with NaN stability and difficulty) for a pair never reviewed.
    `lapses` counts Again answers given at least one day after the previous review.
    """

    difficulty: np.ndarray
    stability: np.ndarray
    last_review: np.ndarray
    reps: np.ndarray
    lapses: np.ndarray

    @classmethod
    def new(cls, n: int) -> MemoryState:
        nan = np.full(n, np.nan)
        return cls(nan, nan.copy(), nan.copy(), np.zeros(n, np.int32), np.zeros(n, np.int32))

    @classmethod
    def from_columns(cls, difficulty: Sequence[float | None], stability: Sequence[float | None],
                     last_review: Sequence[float | None], reps: Sequence[int | None],
                     lapses: Sequence[int | None]) -> MemoryState:
        """Build from one sequence per field, None where never reviewed: a column at a time, where a row at a
        time cost the session's 200 candidates 1.4 ms (7 us a row, on a slow day)."""

        def floats(values: Sequence[float | None]) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in values], dtype=float)

        def counts(values: Sequence[int | None]) -> np.ndarray:
            return np.array([0 if v is None else v for v in values], dtype=np.int32)

        return cls(floats(difficulty), floats(stability), floats(last_review), counts(reps), counts(lapses))

    def rows(self) -> list[tuple[float | None, float | None, float | None, int, int]]:
        """One (difficulty, stability, last_review, reps, lapses) tuple per pair, None where unreviewed."""

        def opt(values: np.ndarray) -> list[float | None]:
            # as Python floats first (one C call), NaN (x != x) to None: per numpy scalar, np.isnan and
            # float() cost a batch of offline answers milliseconds
            return [None if x != x else x for x in values.tolist()]

        return list(zip(opt(self.difficulty), opt(self.stability), opt(self.last_review), self.reps.tolist(),
                        self.lapses.tolist(), strict=True))

    def __len__(self) -> int:
        return len(self.stability)

    def take(self, index: np.ndarray) -> MemoryState:
        return MemoryState(self.difficulty[index], self.stability[index], self.last_review[index],
                           self.reps[index], self.lapses[index])


def elapsed_days(last_review: np.ndarray, now: np.ndarray | float,
                 day_start_hour: float | None = None) -> np.ndarray:
    """Whole days between two epoch-second times (0 where `last_review` is NaN)."""
    last = np.asarray(last_review, dtype=float)
    now = np.asarray(now, dtype=float)
    if day_start_hour is None:
        days = np.floor((now - last) / SECONDS_PER_DAY)
    else:
        shift = day_start_hour * 3600.0
        days = np.floor((now - shift) / SECONDS_PER_DAY) - np.floor((last - shift) / SECONDS_PER_DAY)
    return np.fmax(days, 0.0)  # fmax also turns NaN (never reviewed) into 0


def forgetting_curve(days: np.ndarray, stability: np.ndarray, w: np.ndarray = FSRS6_DEFAULT_WEIGHTS
                     ) -> np.ndarray:
    """FSRS-6 power curve R = (1 + f·t/S)^-w20, with f chosen so that R(S) = 0.9."""
    decay = -w[20]
    factor = 0.9 ** (1.0 / decay) - 1.0
    return (1.0 + factor * days / stability) ** decay


def curve_days(last_review: np.ndarray, now: np.ndarray | float, day_start_hour: float | None,
               exact_time: bool) -> tuple[np.ndarray, np.ndarray]:
    """(time for the forgetting curve, same-day flag): whole days as py-fsrs, or with `exact_time` the
    exact time since the last review on a later day, which a language app knows to the second."""
    days = elapsed_days(last_review, now, day_start_hour)
    same_day = days < 1
    if exact_time:
        exact = (np.asarray(now, dtype=float) - last_review) / SECONDS_PER_DAY
        return np.where(same_day, days, exact), same_day
    return days, same_day


def retrievability(states: MemoryState, now: np.ndarray | float, w: np.ndarray = FSRS6_DEFAULT_WEIGHTS,
                   day_start_hour: float | None = None, exact_time: bool = False) -> np.ndarray:
    """Predicted probability of recall at `now`; 0 for pairs never reviewed (as py-fsrs).

    With `exact_time` the curve runs on exact time, also within the day (weights fitted that way)."""
    t = (np.asarray(now, dtype=float) - states.last_review) / SECONDS_PER_DAY if exact_time else \
        elapsed_days(states.last_review, now, day_start_hour)
    r = forgetting_curve(t, states.stability, w)
    r[np.isnan(r)] = 0.0
    return r


def _floor_at(x: np.ndarray, low: float) -> np.ndarray:
    return np.where(x.real < low, low, x)


def _clamp_difficulty(d: np.ndarray) -> np.ndarray:
    d = np.where(d.real < DIFFICULTY_MIN, DIFFICULTY_MIN, d)
    return np.where(d.real > DIFFICULTY_MAX, DIFFICULTY_MAX, d)


def initial_stability(g: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.where(g == AGAIN, w[0], np.where(g == HARD, w[1], np.where(g == GOOD, w[2], w[3])))


def initial_difficulty(g: np.ndarray, w: np.ndarray) -> np.ndarray:
    return w[4] - np.exp(w[5] * (g - 1)) + 1.0


def cold_start_gap(p_success: np.ndarray) -> np.ndarray:
    """Logit of the predicted first-answer success over the reference, clipped; 0 where unknown (NaN)."""
    p = np.clip(np.asarray(p_success, dtype=float), 1e-6, 1 - 1e-6)
    ref = np.log(COLD_START_REFERENCE / (1.0 - COLD_START_REFERENCE))
    gap = np.clip(np.log(p / (1.0 - p)) - ref, -COLD_START_MAX_LOGIT, COLD_START_MAX_LOGIT)
    return np.nan_to_num(gap, nan=0.0)


def first_state(g: np.ndarray, w: np.ndarray, first_p: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """(difficulty, stability) after a pair's first answer; `first_p` is the cold-start prediction."""
    d, s = initial_difficulty(g, w), initial_stability(g, w)
    if first_p is not None:
        gap = cold_start_gap(first_p)
        d, s = d - COLD_START_D_PER_LOGIT * gap, s * np.exp(COLD_START_S_PER_LOGIT * gap)
    return _clamp_difficulty(d), _floor_at(s, STABILITY_MIN)


def next_difficulty(d: np.ndarray, g: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Linear damping towards 10, then mean reversion towards the initial difficulty of Easy."""
    damped = d + (10.0 - d) * (-w[6] * (g - 3)) / 9.0
    return _clamp_difficulty(w[7] * initial_difficulty(np.asarray(EASY), w) + (1.0 - w[7]) * damped)


def same_day_stability(s: np.ndarray, g: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Stability after a repeat on the same day as the previous review.

    The growth factor e^(w17·(g-3+w18))·S^-w19 shrinks as S grows and is floored at 1 for a pass, so
    drilling an item many times in one lesson saturates quickly instead of compounding stability.
    """
    growth = np.exp(w[17] * (g - 3 + w[18])) * s ** -w[19]
    growth = np.where((g > AGAIN) & (growth.real < 1.0), 1.0, growth)
    return _floor_at(s * growth, STABILITY_MIN)


def next_stability(d: np.ndarray, s: np.ndarray, r: np.ndarray, g: np.ndarray, w: np.ndarray
                   ) -> np.ndarray:
    """Stability after a review at least one day after the previous one.

    Written with in-place updates: at a million states per call, temporaries cost more than the maths.
    """
    lapsed = 1.0 - r
    recall = np.exp(lapsed * w[10])
    recall -= 1.0
    recall *= s ** -w[9]
    recall *= 11.0 - d
    recall *= np.where(g == HARD, w[15], np.where(g == EASY, w[16], 1.0)) * np.exp(w[8])
    recall += 1.0
    recall *= s
    forget = (s + 1.0) ** w[13]
    forget -= 1.0
    forget *= d ** -w[12]
    forget *= np.exp(lapsed * w[14])
    forget *= w[11]
    forget_short = s / np.exp(w[17] * w[18])
    forget = np.where(forget.real < forget_short.real, forget, forget_short)
    return _floor_at(np.where(g == AGAIN, forget, recall), STABILITY_MIN)


def step(d: np.ndarray, s: np.ndarray, days: np.ndarray, g: np.ndarray, w: np.ndarray,
         same_day: np.ndarray | None = None, first_p: np.ndarray | None = None,
         column: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One review for every row: (R before the review, new difficulty, new stability).

    Rows whose `d` is NaN are first reviews; `same_day` flags repeats on the day of the previous review
    (default: `days < 1`, as py-fsrs; pass it when `days` is exact time, which may be under 1 on a new
    day). Each branch (first, same day, later day) is computed only on its own rows, which halves the
    cost of replaying lesson-heavy logs. Shared by `review` and the fitter, which passes complex (n, K)
    states with (n, 1) `days` and `g`. `first_p` (per row, NaN = unknown) is the cold start of first reviews.
    `column` (per row) picks each row's weights from `w` of shape (21, G, K): many learners' weights in one
    replay, gathered per branch so that each row's weights are copied once.
    """
    first = np.isnan(d.real.reshape(len(d), -1)[:, 0])
    repeat = days.reshape(len(d), -1)[:, 0] < 1 if same_day is None else same_day
    same = ~first & repeat
    if not (first.any() or same.any()):  # the scheduler's usual call: every pair due on a later day
        w = w if column is None else w[:, column]
        r = forgetting_curve(days, s, w)
        return r, next_difficulty(d, g, w), next_stability(d, s, r, g, w)
    shape = np.broadcast_shapes(d.shape, np.shape(w[0, 0] if column is not None else w[0]))
    dtype = np.result_type(d, s, w)
    if same.all():  # an offline batch's later rounds: every pair answered again the same day; the masks
        w = w if column is None else w[:, column]  # and copies of the branches cost more than the maths
        return np.ones(shape, dtype), next_difficulty(d, g, w), same_day_stability(s, g, w)
    later = ~first & ~same
    r, d_new, s_new = np.ones(shape, dtype), np.empty(shape, dtype), np.empty(shape, dtype)

    def weights(rows: np.ndarray) -> np.ndarray:
        return w if column is None else w[:, column[rows]]

    # a branch with no rows is skipped: the scheduler's calls hold one or a few rows, and the empty
    # branches' numpy calls were most of a single answer's memory-model CPU
    if first.any():
        cold = None if first_p is None else first_p[first]
        d_new[first], s_new[first] = first_state(g[first], weights(first), cold)
        r[first] = 0.0
    if same.any():
        w_same = weights(same)
        s_new[same] = same_day_stability(s[same], g[same], w_same)
        d_new[same] = next_difficulty(d[same], g[same], w_same)
    if later.any():
        w_later = weights(later)
        r[later] = forgetting_curve(days[later], s[later], w_later)
        s_new[later] = next_stability(d[later], s[later], r[later], g[later], w_later)
        d_new[later] = next_difficulty(d[later], g[later], w_later)
    return r, d_new, s_new


def review(states: MemoryState, grades: np.ndarray, now: np.ndarray | float,
           w: np.ndarray = FSRS6_DEFAULT_WEIGHTS, day_start_hour: float | None = None,
           exact_time: bool = False, first_p: np.ndarray | None = None) -> MemoryState:
    """New states after each pair was answered with `grades` (1 Again … 4 Easy) at `now`; pure.

    Defaults reproduce py-fsrs; `exact_time` matches weights fitted with exact elapsed time; `first_p`
    (predicted success per pair, NaN unknown) is the cold start of pairs answered for the first time."""
    g = np.broadcast_to(np.asarray(grades), states.stability.shape)
    if g.size and (g.min() < AGAIN or g.max() > EASY):
        raise ValueError("grades must be 1 (Again) to 4 (Easy)")
    now_arr = np.broadcast_to(np.asarray(now, dtype=float), states.stability.shape)
    days, same_day = curve_days(states.last_review, now_arr, day_start_hour, exact_time)
    cold = None if first_p is None else np.broadcast_to(np.asarray(first_p, dtype=float), g.shape)
    _, d_new, s_new = step(states.difficulty, states.stability, days, g, w, same_day, cold)
    lapse = (g == AGAIN) & ~same_day
    return MemoryState(d_new, s_new, now_arr.copy(), states.reps + 1, states.lapses + lapse)


def next_interval(states: MemoryState, desired_retention: float, w: np.ndarray = FSRS6_DEFAULT_WEIGHTS,
                  maximum_interval: int = 36_500) -> np.ndarray:
    """Whole days until R falls to `desired_retention` (py-fsrs rounding: half to even, at least 1)."""
    decay = -w[20]
    factor = 0.9 ** (1.0 / decay) - 1.0
    days = np.round(states.stability / factor * (desired_retention ** (1.0 / decay) - 1.0))
    days[np.isnan(days)] = 1.0  # never reviewed (the clip takes infinities to its bounds)
    return np.clip(days, 1, maximum_interval).astype(np.int64)


def next_due(states: MemoryState, desired_retention: float, w: np.ndarray = FSRS6_DEFAULT_WEIGHTS,
             maximum_interval: int = 36_500) -> np.ndarray:
    """Epoch seconds when each pair is due again; NaN for pairs never reviewed.

    No learning steps and no fuzz: same-day repeats inside a lesson are the session planner's choice.
    """
    days = next_interval(states, desired_retention, w, maximum_interval)
    return states.last_review + days * SECONDS_PER_DAY
