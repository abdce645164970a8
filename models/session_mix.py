"""Session mix: which items a study session holds, in what order, and on which day each comes back.

Why these rules:
- due reviews go first, lowest retrievability R first: they are the ones about to be lost;
- items a teacher assigned go before any other new material, in the teacher's order;
- new items are taken where the predicted success sits in the stretch zone (about 0.7-0.85): hard enough
  to teach, easy enough not to discourage; the new-item budget is shared out between skills in proportion
  to the readiness weights (the skills holding the exam pass back get more);
- the order interleaves topics and never puts two siblings (same lemma) back to back when it can be
  avoided: interleaving helps retention, adjacent siblings give each other away;
- each item's next review day may move within a small window around the memory model's interval, to the
  least-loaded day; new items whose first review would push a day above `load_ratio` x the mean of the
  coming days are left for another session. Reviews are never dropped for the sake of smoothing.

Pure arrays in, indices out; R and intervals come from the memory model, success from the ability model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

NO_LEMMA = -1


@dataclass(frozen=True)
class SessionCandidates:
    """One row per candidate item (parallel arrays). `retrievability` matters for due items,
    `p_success` for new items; `next_interval_days` is the interval the item gets if studied now;
    `required` marks new items a teacher assigned (taken first, whatever their predicted success)."""

    skill: NDArray[np.int64]
    topic: NDArray[np.int64]
    lemma: NDArray[np.int64]
    due: NDArray[np.bool_]
    is_new: NDArray[np.bool_]
    retrievability: NDArray[np.float64]
    p_success: NDArray[np.float64]
    next_interval_days: NDArray[np.float64]
    required: NDArray[np.bool_]

    @classmethod
    def from_arrays(
        cls,
        skill: ArrayLike,
        topic: ArrayLike,
        lemma: ArrayLike,
        due: ArrayLike,
        is_new: ArrayLike,
        retrievability: ArrayLike,
        p_success: ArrayLike,
        next_interval_days: ArrayLike,
        required: ArrayLike | None = None,
    ) -> SessionCandidates:
        made = cls(
            np.asarray(skill, int),
            np.asarray(topic, int),
            np.asarray(lemma, int),
            np.asarray(due, bool),
            np.asarray(is_new, bool),
            np.asarray(retrievability, float),
            np.asarray(p_success, float),
            np.asarray(next_interval_days, float),
            np.zeros(len(np.atleast_1d(skill)), bool) if required is None else np.asarray(required, bool),
        )
        shapes = {name: getattr(made, name).shape for name in cls.__dataclass_fields__}
        if len(set(shapes.values())) != 1 or made.skill.ndim != 1:
            raise ValueError(f"candidate arrays must be 1-D and of one length, got {shapes}")
        if np.any(made.due & made.is_new):
            raise ValueError("an item cannot be both due for review and new")
        if np.any(made.required & ~made.is_new):
            raise ValueError("only new items can be required")
        return made


@dataclass(frozen=True)
class SessionPlan:
    order: list[int]  # candidate indices in the order to present them
    review_day: list[int]  # per entry of `order`: days from today until it comes back


def plan_session(
    items: SessionCandidates,
    skill_weights: ArrayLike,
    upcoming_load: ArrayLike,
    rng: np.random.Generator,
    max_items: int = 30,
    max_new: int = 10,
    stretch: tuple[float, float] = (0.7, 0.85),
    load_ratio: float = 1.5,
    min_peak: float = 10.0,
    fuzz: float = 0.15,
) -> SessionPlan:
    """Plan one session. `upcoming_load[d]` is the number of reviews already scheduled d + 1 days ahead
    (its length is the smoothing horizon); `skill_weights` has one non-negative weight per skill index;
    `rng` breaks ties between equally suitable new items. A day with at most `min_peak` reviews is never
    treated as a peak (else the first new item on an empty calendar would be one)."""
    load = np.asarray(upcoming_load, float).copy()
    if load.ndim != 1 or len(load) == 0:
        raise ValueError("upcoming_load must be a non-empty 1-D array (day 1 first)")
    reviews = _due_reviews(items, max_items)
    review_days = [_place(load, items.next_interval_days[i], fuzz) for i in reviews]
    new, new_days = [], []
    budget = min(max_new, max_items - len(reviews))
    for i in _new_items(items, np.asarray(skill_weights, float), budget, stretch, rng):
        day = best_day(load, items.next_interval_days[i], fuzz)
        cap = max(load_ratio * (load.sum() + 1) / len(load), min_peak)
        if not items.required[i] and day <= len(load) and load[day - 1] + 1 > cap:
            continue  # this first review would make a peak: the item waits for a lighter session
        _book(load, day)
        new.append(i)
        new_days.append(day)
    order = _interleave(_spread(reviews, new), items)
    day_of = dict(zip([*reviews, *new], [*review_days, *new_days], strict=True))
    return SessionPlan(order=order, review_day=[day_of[i] for i in order])


def _due_reviews(items: SessionCandidates, limit: int) -> list[int]:
    due = np.flatnonzero(items.due)
    return due[np.argsort(items.retrievability[due], kind="stable")][:limit].tolist()


def _new_items(
    items: SessionCandidates,
    weights: NDArray[np.float64],
    budget: int,
    stretch: tuple[float, float],
    rng: np.random.Generator,
) -> list[int]:
    """New items for the session: in-zone ones shared out by skill weight (nearest the zone's middle first
    within a skill); if the zone runs dry, the nearest outside it. A seeded coin orders equal items."""
    if weights.ndim != 1 or np.any(weights < 0):
        raise ValueError("skill_weights must be a 1-D array of non-negative weights")
    required = np.flatnonzero(items.required)[: max(budget, 0)].tolist()
    new = np.flatnonzero(items.is_new & ~items.required)
    budget -= len(required)
    if budget <= 0 or len(new) == 0:
        return required
    lo, hi = stretch
    p = items.p_success[new]
    off_zone = np.maximum(lo - p, 0.0) + np.maximum(p - hi, 0.0)
    ranked = new[np.lexsort((rng.random(len(new)), np.abs(p - (lo + hi) / 2), off_zone))]
    in_zone = set(new[off_zone == 0].tolist())
    taken = _share_by_weight([i for i in ranked if i in in_zone], items.skill, weights, budget)
    return required + taken + [int(i) for i in ranked if i not in in_zone][: budget - len(taken)]


def _share_by_weight(
    ranked: list[int], skill: NDArray[np.int64], weights: NDArray[np.float64], budget: int
) -> list[int]:
    """Each pick goes to the skill furthest below its weighted share; zero-weight skills only when no
    weighted skill has items left (all weights zero: equal shares)."""
    queues: dict[int, list[int]] = {}
    for i in ranked:
        queues.setdefault(int(skill[i]), []).append(int(i))
    w = {k: float(weights[k]) if k < len(weights) else 0.0 for k in queues}
    total = sum(w.values())
    if total == 0:
        w, total = dict.fromkeys(queues, 1.0), float(len(queues))
    taken: list[int] = []
    counts = dict.fromkeys(queues, 0)
    while len(taken) < budget and any(queues.values()):
        open_skills = [k for k, queue in queues.items() if queue]
        skill_next = max(
            open_skills,
            key=lambda k: (w[k] > 0, w[k] / total * (len(taken) + 1) - counts[k], -k),
        )
        taken.append(queues[skill_next].pop(0))
        counts[skill_next] += 1
    return taken


def _spread(reviews: list[int], new: list[int]) -> list[int]:
    """Priority order: reviews as ranked, new items spaced evenly among them."""
    if not new:
        return list(reviews)
    slots = np.linspace(0, len(reviews), len(new) + 2)[1:-1] if reviews else np.zeros(len(new))
    merged: list[int] = []
    review_iter = iter(reviews)
    placed = 0
    for position in range(len(reviews) + 1):
        while placed < len(new) and slots[placed] <= position:
            merged.append(new[placed])
            placed += 1
        if position < len(reviews):
            merged.append(next(review_iter))
    return merged


def _interleave(priority: list[int], items: SessionCandidates, window: int = 6) -> list[int]:
    """Greedy: take the highest-priority item among the next `window` that repeats neither the previous
    item's topic nor its lemma and leaves the rest still arrangeable without topic repeats (else the
    session ends in a run of one topic); looking past the window only when nothing in it fits; failing
    that, an item that at least avoids the lemma; failing that, the first. Priorities bend, not break.

    The first fitting position is found in one scan per step, each position checked in constant time from
    the remaining topics' counts (`_arrangeable_without`): a session of a hundred items is ordered in
    milliseconds, where checking every position against a recount of the rest took a tenth of a second."""
    topic, lemma = items.topic.tolist(), items.lemma.tolist()
    remaining = list(priority)
    order = [remaining.pop(0)] if remaining else []
    counts: dict[int, int] = {}
    for item in remaining:
        counts[topic[item]] = counts.get(topic[item], 0) + 1
    while remaining:
        last = order[-1]
        top = sorted(counts.items(), key=lambda tc: -tc[1])[:2]  # the two most frequent topics left

        def siblings(item: int, last: int = last) -> bool:
            return lemma[item] != NO_LEMMA and lemma[item] == lemma[last]

        pick = next(
            (
                pos
                for pos, item in enumerate(remaining)
                if not siblings(item)
                and topic[item] != topic[last]
                and _arrangeable_without(counts, top, len(remaining), topic[item])
            ),
            None,
        )
        if pick is None:
            near = range(min(window, len(remaining)))
            pick = next((pos for pos in near if not siblings(remaining[pos])), 0)
        item = remaining.pop(pick)
        counts[topic[item]] -= 1
        if not counts[topic[item]]:
            del counts[topic[item]]
        order.append(item)
    return order


def _arrangeable_without(counts: dict[int, int], top: list[tuple[int, int]], n: int, taken: int) -> bool:
    """Can the ``n`` remaining items but one of topic ``taken`` follow that one with no two equal
    neighbours? Each topic needs gaps: at most ceil(m/2) of the m left, floor(m/2) of ``taken`` itself.
    ``top`` holds the two most frequent topics in ``counts``: the most frequent other topic is one of them."""
    left = n - 1
    other = next((c for t, c in top if t != taken), 0)
    return counts[taken] - 1 <= left // 2 and other <= (left + 1) // 2


def _window(interval: float, fuzz: float) -> range:
    base = max(1, round(float(interval)))
    spread = max(1, int(base * fuzz)) if base >= 3 else 0
    return range(max(1, base - spread), base + spread + 1)


def best_day(load: ArrayLike, interval: float, fuzz: float = 0.15) -> int:
    """Least-loaded day in the interval's window (ties: nearest the interval); beyond the horizon as is.

    `load[d]` counts reviews d + 1 days ahead. The session plan books its items with it, and the answer
    intake applies it again when the answer lands, on the load at that moment."""
    load = np.asarray(load, float)
    base = max(1, round(float(interval)))
    days = [d for d in _window(interval, fuzz) if d <= len(load)]
    if not days:
        return base
    return min(days, key=lambda d: (load[d - 1], abs(d - base)))


def _book(load: NDArray[np.float64], day: int) -> None:
    if day <= len(load):
        load[day - 1] += 1


def _place(load: NDArray[np.float64], interval: float, fuzz: float) -> int:
    day = best_day(load, interval, fuzz)
    _book(load, day)
    return day
