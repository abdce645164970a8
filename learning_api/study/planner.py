"""Adapter from the study service's candidates to the session planner in models/session_mix.

Topics and lemmas become small integer codes; the readiness model's per-skill gains become the weights
that share the new-item budget (skills holding the exam pass back get more new items).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from learning_api.catalog.documents import Exercise
from learning_api.db.tables import Item
from models.ability import SKILLS
from models.session_mix import NO_LEMMA, SessionCandidates, plan_session


@dataclass(frozen=True, slots=True)
class Candidate:
    item: Item
    exercise: Exercise
    kind: str  # review | new
    interval_days: float  # the interval the item gets if answered well now
    recall: float | None = None
    predicted_success: float | None = None
    required: bool = False  # a teacher assigned it: before other new material
    relearning: bool = False  # a review due again the same day after a lapse


def _codes(values: Sequence[str]) -> np.ndarray:
    table: dict[str, int] = {}
    return np.array([table.setdefault(v, len(table)) if v else NO_LEMMA for v in values], dtype=int)


def skill_weights(gains: Sequence[float]) -> np.ndarray:
    """Readiness gain per skill → budget weights; a floor keeps every skill in rotation."""
    weights = np.clip(np.asarray(gains, float), 0.0, None)
    total = weights.sum()
    return 0.2 + (weights / total if total > 0 else np.zeros(len(SKILLS)))


def plan(
    reviews: list[Candidate],
    new: list[Candidate],
    *,
    size: int,
    weights: np.ndarray,
    upcoming_load: Sequence[int],
    rng: np.random.Generator,
) -> list[tuple[Candidate, int]]:
    """The session in order, each item with the day it comes back if answered well (the planner's
    load-smoothed day; the answer intake applies the same rule when the answer lands)."""
    candidates = [*reviews, *new]
    if not candidates:
        return []
    items = SessionCandidates.from_arrays(
        skill=[SKILLS.index(c.item.skill) if c.item.skill in SKILLS else 0 for c in candidates],
        topic=_codes([c.item.topic for c in candidates]),
        lemma=_codes([(c.item.lemmas or [""])[0] for c in candidates]),
        due=[c.kind == "review" for c in candidates],
        is_new=[c.kind == "new" for c in candidates],
        retrievability=[c.recall if c.recall is not None else 1.0 for c in candidates],
        p_success=[c.predicted_success if c.predicted_success is not None else 0.0 for c in candidates],
        next_interval_days=[c.interval_days for c in candidates],
        required=[c.required for c in candidates],
    )
    chosen = plan_session(
        items,
        weights,
        np.asarray(upcoming_load, float),
        rng,
        max_items=size,
        max_new=max(size - len(reviews), size // 3),
    )
    return [(candidates[i], day) for i, day in zip(chosen.order, chosen.review_day, strict=True)]
