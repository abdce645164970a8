"""Scheduling throughput: vectorised `models.memory` against py-fsrs, card for card, as a ratio.

    .venv/bin/python scripts/bench/scheduling.py [log.csv] [--states 1000000]

The cards are the final memory states of a real review log (default: ../shared/data/reviews/
anki_josh_2024.csv), reviewed again 1-30 days later with grades drawn from a seeded generator. py-fsrs
runs `review_card` and `get_card_retrievability` card by card on those cards; models.memory runs `review`
and `retrievability` once on the same cards tiled to `--states` states. Both sides' results are checked
to agree before timing counts. Printed: states per second for each and the ratio (target >= 100x).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from fsrs import Card, Rating, Scheduler, State

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from models.memory import (
    FSRS6_DEFAULT_WEIGHTS,
    SECONDS_PER_DAY,
    MemoryState,
    retrievability,
    review,
)
from models.replay import History, run_fsrs
from models.reviewlog import read_review_csv

DEFAULT_LOG = Path(__file__).resolve().parents[3] / "shared" / "data" / "reviews" / "anki_josh_2024.csv"


def final_states(path: Path) -> MemoryState:
    """Each pair's state after its last review in the log (24-hour day counting, as py-fsrs)."""
    log = read_review_csv(path)
    history = History.from_log(log)
    trace = run_fsrs(history, FSRS6_DEFAULT_WEIGHTS)
    last = np.full(history.n_pairs, -1)
    last[history.pair] = np.arange(len(log))  # rows are in time order: the last write wins
    return MemoryState(
        trace.difficulty_after[last],
        trace.stability_after[last],
        log.time[last],
        history.index[last].astype(np.int32),
        np.zeros(len(last), np.int32),
    )


def best_of_interleaved(runs: int, *works: Callable[[], object]) -> list[float]:
    """Fastest of `runs` timings per work, taking turns so both sides meet the same machine load."""
    timings: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for work, times in zip(works, timings, strict=True):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
    return [min(times) for times in timings]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, nargs="?", default=DEFAULT_LOG)
    parser.add_argument("--states", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = np.random.default_rng(20240329)
    cards = final_states(args.log)
    n = len(cards)
    now = cards.last_review + rng.integers(1, 31, n) * SECONDS_PER_DAY + rng.uniform(0, 3600, n)
    grades = rng.choice([1, 2, 3, 4], size=n, p=[0.15, 0.05, 0.7, 0.1])

    scheduler = Scheduler(enable_fuzzing=False)
    py_cards = [
        Card(
            card_id=i + 1,
            state=State.Review,
            stability=float(s),
            difficulty=float(d),
            last_review=datetime.fromtimestamp(t, UTC),
        )
        for i, (s, d, t) in enumerate(zip(cards.stability, cards.difficulty, cards.last_review, strict=True))
    ]
    when = [datetime.fromtimestamp(t, UTC) for t in now]
    ratings = [Rating(int(g)) for g in grades]

    def py_fsrs() -> list[tuple[float, float]]:
        out = []
        for card, at, rating in zip(py_cards, when, ratings, strict=True):
            r = scheduler.get_card_retrievability(card, at)
            new, _ = scheduler.review_card(card, rating, at)
            out.append((r, new.stability))
        return out

    reference = np.array(py_fsrs())
    ours_r, ours_next = retrievability(cards, now), review(cards, grades, now)
    agree = max(np.abs(ours_r - reference[:, 0]).max(), np.abs(ours_next.stability - reference[:, 1]).max())
    if agree > 1e-6:
        raise SystemExit(f"models.memory disagrees with py-fsrs by {agree:g}")

    tiles = -(-args.states // n)
    big = MemoryState(
        *(
            np.tile(a, tiles)[: args.states]
            for a in (cards.difficulty, cards.stability, cards.last_review, cards.reps, cards.lapses)
        )
    )
    big_now, big_grades = np.tile(now, tiles)[: args.states], np.tile(grades, tiles)[: args.states]

    py_total, ours_total = best_of_interleaved(
        9, py_fsrs, lambda: (retrievability(big, big_now), review(big, big_grades, big_now))
    )
    py_seconds, ours_seconds = py_total / n, ours_total / args.states
    print(f"cards: {n:,} final states of {args.log.name}; py-fsrs agrees to {agree:.1e}")
    print(f"py-fsrs get_card_retrievability + review_card, card by card: {1 / py_seconds:>12,.0f} states/s")
    print(
        f"models.memory retrievability + review, {args.states:,} at once: {1 / ours_seconds:>12,.0f} states/s"
    )
    print(f"ratio: {py_seconds / ours_seconds:,.0f}x (target >= 100x)")


if __name__ == "__main__":
    main()
