"""What a session offers, as small pure rules over rows the caller has read.

- New material skips what the learner is shown to know: an item whose predicted first-answer success
  (the item's calibrated difficulty against the learner's ability, placement included) reaches
  KNOWN_SUCCESS is not taught again, so a learner placed at B1 does not start at a1-01.
- Memory is shared within a family (items practising the same first lemma): an item whose family the
  learner already has memory of is not new material; it enters as a review when the family is due, and
  its first answer starts from the family's memory state instead of from nothing.
- Items a teacher assigned come before new material (the planner takes them first).
- A learner who chose course order (`StudyOrder.COURSE`: a class following the book) gets every exercise
  in course order: nothing is skipped as known or as of a remembered family, and no family brings its
  unseen members in early as reviews. The two rules above apply to `StudyOrder.ADAPTIVE` only.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from learning_api.catalog.documents import Exercise
from learning_api.db.tables import Item
from learning_api.kinds import StudyOrder
from learning_api.study.memory import BEGINNER_PRIOR
from models.ability import p_correct

KNOWN_SUCCESS = 0.95
ItemParams = Callable[[Item], tuple[float, float]]  # an item's current (a, b)
FAMILY_INTRODUCTIONS = 1  # unseen items a due family may bring into one session


def family(item: Item) -> str | None:
    """The lemma an item's memory is shared by (its first one), or None for an item practising none."""
    return item.lemmas[0] if item.lemmas else None


def predicted_success(
    theta: Mapping[str, float], item: Item, exercise: Exercise, ab: tuple[float, float]
) -> float:
    """P(the learner knows the item) from its current (a, b) and the learner's ability in its skill (beginner
    prior before any evidence). The lucky pick of a choice item is left out on purpose: it counts when an
    answer moves ability (``update_ability``), but ranking by it put 3-option choices ahead of every typed
    exercise in the stretch zone, and a guess is not knowledge to skip or to start a memory from."""
    del exercise  # every type is ranked by knowledge alone (see above)
    return float(predicted_successes(theta, [item], [ab])[0])


def predicted_successes(
    theta: Mapping[str, float], items: Sequence[Item], ab: Sequence[tuple[float, float]]
) -> np.ndarray:
    """`predicted_success` of many items in one call of the model (a session weighs dozens of new items:
    a call per item was most of choosing them)."""
    a, b = np.array(ab, float).reshape(len(items), 2).T
    return p_correct([theta.get(item.skill, BEGINNER_PRIOR[0]) for item in items], a, b)


@dataclass(frozen=True, slots=True)
class NewChoice:
    item: Item
    exercise: Exercise
    predicted_success: float


def new_material(
    ahead: Iterable[tuple[Item, Exercise]],
    seen: set[str],
    remembered_families: set[str],
    theta: Mapping[str, float],
    ab: ItemParams,
    limit: int,
    order: StudyOrder,
) -> list[NewChoice]:
    """The first ``limit`` items in course order that are new to the learner: not seen and, in adaptive
    order, not of a family they remember and not predicted known."""
    adaptive = order == StudyOrder.ADAPTIVE
    unseen = (
        (item, exercise)
        for item, exercise in ahead
        if item.id not in seen and not (adaptive and family(item) in remembered_families)
    )
    out: list[NewChoice] = []
    # as many at a time as places are left: each fills one at most, so no more of the course is read
    # than one at a time would read, and every chunk is one call of the model
    while len(out) < limit and (chunk := list(itertools.islice(unseen, limit - len(out)))):
        items = [item for item, _ in chunk]
        for (item, exercise), p in zip(
            chunk, predicted_successes(theta, items, list(map(ab, items))), strict=True
        ):
            if p < KNOWN_SUCCESS or not adaptive:
                out.append(NewChoice(item, exercise, float(p)))
    return out


def family_introductions(
    members: Mapping[str, Iterable[str]], seen: Container[str], order: StudyOrder
) -> list[str]:
    """Unseen items of families now due (``members``: each due family's live member ids in course order), a
    few per family: they enter as reviews (in adaptive order; in course order they wait for their place in
    the course as new material). A family's ids are read only up to its first unseen ones, by C-level
    iteration: a learner who has met hundreds of a family's items costs microseconds more than one who has
    met a few (walked as (item, exercise) pairs through two generators, it was a millisecond per session
    at 5,000 states)."""
    if order != StudyOrder.ADAPTIVE:
        return []
    out: list[str] = []
    for ids in members.values():
        out += itertools.islice(itertools.filterfalse(seen.__contains__, ids), FAMILY_INTRODUCTIONS)
    return out
