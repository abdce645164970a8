"""Per-learner FSRS-6 fitting: each learner alone (`fit_fsrs` one by one) vs all in lockstep
(`fit_per_learner`, `models.fit.fit_fsrs_lockstep`), timed in the same run, with the largest weight
difference between the two (they must agree: same L-BFGS-B iterates per learner).

    PYTHONPATH=. .venv/bin/python scripts/bench/fit_learners.py [--learners 50] [--block 25] [--seed 0]

The log is simulated, shaped like the learning bench's: 60 days, each learner 80-300 items introduced
over the days, drilled again within the lesson, then reviewed as FSRS-6 with the learner's own weights
(the defaults with a few perturbed) says they are recalled; a tenth of the items come back every day
(as lapses and family members do), so a learner's history runs to ~60 replay steps, most of them small.
Fitted as `keelerada models fit` does: exact time, recency weights, shrinkage 50 to the default weights,
the newest 20% held out. Timed in CPU seconds of this process (all its threads), alone and lockstep in
turn per block of learners (25: about one chunk of `fit_per_learner`): on a shared machine the load
changes over a run, and wall-clock time counts the other processes too.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from models.fit import FitTarget, fit_fsrs, fit_per_learner
from models.memory import FSRS6_DEFAULT_WEIGHTS, SECONDS_PER_DAY, MemoryState, retrievability, review
from models.replay import History
from models.reviewlog import ReviewLog

DAYS = 60
OPTIONS = {"recency_half_life": 1500.0, "exact_time": True}
STRENGTH = 50.0


def learner_log(rng: np.random.Generator, name: str) -> tuple[list, list, list, list]:
    """(learner, item, time, grade) columns of one learner's answers."""
    cards = int(rng.integers(80, 300))
    w = FSRS6_DEFAULT_WEIGHTS.copy()
    w[[2, 8, 20]] *= rng.uniform(0.6, 1.6, 3)
    start = 1.7e9 + np.sort(rng.uniform(0, DAYS - 5, cards)).astype(int) * SECONDS_PER_DAY + 3600 * 18
    states = review(MemoryState.new(cards), np.full(cards, 3), start, w)
    times, items, grades = [start], [np.arange(cards)], [np.full(cards, 3)]
    daily = rng.random(cards) < 0.1
    for k in range(100):
        if k < 3:  # drills in the first lesson, ten minutes apart
            now = states.last_review + 600.0
        else:
            spaced = np.ceil(rng.uniform(0.3, 2.0, cards) * states.stability)
            now = states.last_review + np.where(daily, 1.0, spaced) * SECONDS_PER_DAY
        due = now < start[0] + DAYS * SECONDS_PER_DAY
        if not due.any():
            break
        recalled = rng.random(cards) < retrievability(states, now, w, exact_time=True)
        grade = np.where(recalled, rng.choice([2, 3, 3, 3, 4], cards), 1)
        moved = review(states, grade, now, w, exact_time=True)
        states = MemoryState(
            *(
                np.where(due, new, old)
                for new, old in zip(
                    (moved.difficulty, moved.stability, moved.last_review, moved.reps, moved.lapses),
                    (states.difficulty, states.stability, states.last_review, states.reps, states.lapses),
                    strict=True,
                )
            )
        )
        times.append(now[due]), items.append(np.arange(cards)[due]), grades.append(grade[due])
    n = sum(len(t) for t in times)
    return (
        [name] * n,
        [f"{name}-{i}" for i in np.concatenate(items)],
        list(np.concatenate(times)),
        list(np.concatenate(grades)),
    )


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--block", type=int, default=25, help="learners timed alone, then in lockstep, in turn"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    columns = [learner_log(rng, f"l{k}") for k in range(args.learners)]
    learner, item, times, grades = ([x for c in columns for x in c[j]] for j in range(4))
    log = ReviewLog.build(learner, item, np.array(times), np.array(grades), np.full(len(times), 5000.0))
    train = log.time < np.quantile(log.time, 0.8)
    sizes = np.bincount(log.learner)
    print(f"{args.learners} learners, {len(log):,} answers ({sizes.min()}-{sizes.max()} each)")

    alone: dict[int, np.ndarray] = {}
    together: dict[int, np.ndarray] = {}
    steps: list[int] = []
    alone_seconds = lockstep_seconds = 0.0
    for first in range(0, args.learners, args.block):  # alternate, so load changes hit both alike
        block = log.take(np.flatnonzero((log.learner >= first) & (log.learner < first + args.block)))
        block_train = train[(log.learner >= first) & (log.learner < first + args.block)]
        started = time.process_time()
        for code in np.unique(block.learner):
            rows = np.flatnonzero(block.learner == code)
            history = History.from_log(block.take(rows))
            steps.append(len(history.steps))
            target = FitTarget.from_history(history, block_train[rows], **OPTIONS)
            if len(target.scored) >= 200:
                alone[int(code)] = fit_fsrs(target, prior=FSRS6_DEFAULT_WEIGHTS, strength=STRENGTH)
        alone_seconds += time.process_time() - started
        started = time.process_time()
        together |= fit_per_learner(block, FSRS6_DEFAULT_WEIGHTS, block_train, 200, STRENGTH, **OPTIONS)
        lockstep_seconds += time.process_time() - started

    assert sorted(alone) == sorted(together)
    gap = max(float(np.abs(alone[k] - together[k]).max()) for k in alone)
    print(f"fitted learners: {len(alone)}; replay steps per learner {min(steps)}-{max(steps)}")
    print(f"alone:    {alone_seconds:8.2f} CPU s ({alone_seconds / len(alone):.3f} s a learner)")
    print(f"lockstep: {lockstep_seconds:8.2f} CPU s ({lockstep_seconds / len(alone):.3f} s a learner)")
    print(f"ratio alone / lockstep: {alone_seconds / lockstep_seconds:.2f}x")
    print(f"largest weight difference: {gap:.1e}; peak memory {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
