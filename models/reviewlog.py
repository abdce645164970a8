"""Answer logs as column arrays, read from the two CSV shapes the benchmarks accept.

Shapes: Keelerada / py-fsrs (`card_id, review_rating, review_time, review_duration`, optionally
`learner_id`, `exercise_type`, `lemma`, `item_difficulty`) and the Anki revlog (`id, cid, ease, ivl,
lastIvl, factor, time, type`), where rows with ease 0 or type 4 (manual rescheduling) are no reviews.
Optional columns are how a language app's extra signals (exercise type, lemma, calibrated item
difficulty) reach the recall model; a log without them reads as one learner with unknown extras.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class ReviewLog:
    """One element per answer, sorted by time. Category columns are integer codes, -1 for unknown."""

    learner: np.ndarray
    item: np.ndarray
    time: np.ndarray
    grade: np.ndarray
    duration_ms: np.ndarray
    exercise: np.ndarray
    lemma: np.ndarray
    item_difficulty: np.ndarray

    def __len__(self) -> int:
        return len(self.time)

    def take(self, index: np.ndarray) -> ReviewLog:
        return ReviewLog(*(getattr(self, f.name)[index] for f in fields(self)))

    @classmethod
    def build(cls, learner: list, item: list, time: np.ndarray, grade: np.ndarray,
              duration_ms: np.ndarray, exercise: list | None = None, lemma: list | None = None,
              item_difficulty: np.ndarray | None = None) -> ReviewLog:
        """Encode raw keys as codes and sort by time (stable, so equal times keep file order)."""
        n = len(time)
        order = np.argsort(np.asarray(time, dtype=float), kind="stable")
        log = cls(
            learner=_codes(learner), item=_codes([(a, b) for a, b in zip(learner, item, strict=True)]),
            time=np.asarray(time, dtype=float), grade=np.asarray(grade, dtype=np.int8),
            duration_ms=np.asarray(duration_ms, dtype=float),
            exercise=_codes(exercise) if exercise is not None else np.full(n, -1),
            lemma=_codes(lemma) if lemma is not None else np.full(n, -1),
            item_difficulty=(np.asarray(item_difficulty, dtype=float) if item_difficulty is not None
                             else np.full(n, np.nan)),
        )
        return log.take(order)


def _codes(keys: list) -> np.ndarray:
    """Integer code per key in first-seen order; empty strings and None become -1."""
    table: dict = {}
    out = np.empty(len(keys), dtype=np.int64)
    for i, key in enumerate(keys):
        out[i] = -1 if key in ("", None) else table.setdefault(key, len(table))
    return out


def _float(text: str | None) -> float:
    try:
        return float(text) if text not in (None, "") else np.nan
    except ValueError:
        return np.nan


def read_review_csv(path: str | Path) -> ReviewLog:
    """Read either CSV shape, telling them apart by the header."""
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise ValueError(f"{path}: no reviews")
    header = set(rows[0])
    if {"cid", "ease", "id"} <= header:
        rows = [r for r in rows if r["ease"] not in ("0", "") and r.get("type") != "4"]
        return ReviewLog.build(
            learner=[r.get("user_id", "") or "0" for r in rows], item=[r["cid"] for r in rows],
            time=np.array([int(r["id"]) / 1000.0 for r in rows]),
            grade=np.array([int(r["ease"]) for r in rows]),
            duration_ms=np.array([_float(r.get("time")) for r in rows]),
        )
    if {"card_id", "review_rating", "review_time"} <= header:
        def opt(name: str) -> list | None:
            return [r[name] for r in rows] if name in header else None

        difficulty = opt("item_difficulty")
        return ReviewLog.build(
            learner=[r.get("learner_id", "") or "0" for r in rows], item=[r["card_id"] for r in rows],
            time=np.array([datetime.fromisoformat(r["review_time"]).timestamp() for r in rows]),
            grade=np.array([int(r["review_rating"]) for r in rows]),
            duration_ms=np.array([_float(r.get("review_duration")) for r in rows]),
            exercise=opt("exercise_type"), lemma=opt("lemma"),
            item_difficulty=None if difficulty is None else np.array([_float(v) for v in difficulty]),
        )
    raise ValueError(f"{path}: unknown review log columns {sorted(header)}")
