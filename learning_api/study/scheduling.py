"""Where one graded answer puts an item's memory, as the study rules say (used by the answer intake).

Per batch of answers it holds what the rules need, read once: the learner's memory parameters, their
ability (for the cold start of a first answer), the states of the families the batch touches (an item
met for the first time starts from its family's strongest state; a right answer refreshes the family, so
its other members are not due before the answered one), and the review load of the coming weeks (the
planner's load smoothing applied to the new due date).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import repeat
from operator import is_
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import Exercise
from learning_api.db.tables import Item
from learning_api.modelling.params import ParamsCache
from learning_api.study.evidence import DueLoad, answer_memory
from learning_api.study.memory import Review, apply_review, apply_reviews, relearning, thetas, to_epoch
from learning_api.study.params import LiveParams, live_params
from learning_api.study.repository import AbilityRow, StateRow
from learning_api.study.selection import family, predicted_success
from models.memory import AGAIN
from models.session_mix import best_day

SMOOTHING_HORIZON_DAYS = 30
DAY = timedelta(days=1)


class _State(NamedTuple):
    """A memory state between two rounds of a batch (the attribute names of `ReviewState`): a tuple, made
    once per answer, where a frozen dataclass's five ``object.__setattr__`` cost several times more."""

    difficulty: float
    stability: float
    last_review: datetime
    reps: int
    lapses: int


@dataclass
class Scheduler:
    params: LiveParams
    families: dict[str, StateRow]  # per family, its strongest member state (the family's memory)
    load: DueLoad  # the due dates of the coming days, the ones this batch moves too
    members: dict[str, list[StateRow]] = field(default_factory=dict)  # per family, its member states
    moved: dict[str, StateRow] = field(default_factory=dict)  # siblings whose due date a right answer moved

    @classmethod
    async def load(
        cls,
        session: AsyncSession,
        cache: ParamsCache,
        learner_id: uuid.UUID,
        items: list[Item],
        answered: Collection[str],
        now: datetime,
        families: Mapping[str, Collection[str]],
        answer_ids: Collection[uuid.UUID],
    ) -> tuple[Scheduler, dict[str, StateRow], set[uuid.UUID]]:
        """The scheduler for ``items``, the states of the ``answered`` item ids and which of ``answer_ids``
        are logged already (one read for all three). ``families``: every family's member item ids (the
        bank's index)."""
        wanted = {key for key in map(family, items) if key is not None}
        memory = await answer_memory(
            session,
            learner_id,
            answered,
            {k: families.get(k, ()) for k in wanted},
            now - DAY,
            SMOOTHING_HORIZON_DAYS + 2,
            answer_ids,
        )
        params = await live_params(cache, session, learner_id)
        scheduler = cls(params=params, families=memory.families, load=memory.load, members=memory.members)
        return scheduler, memory.states, memory.logged

    def review(
        self,
        row: StateRow | None,
        item: Item,
        exercise: Exercise,
        grade: int,
        at: datetime,
        abilities: dict[str, AbilityRow],
    ) -> tuple[float, float, datetime, int, int, datetime]:
        """The new memory state and due date; call before the answer updates the ability."""
        key = family(item)
        start, first_p = row, None
        if row is None and key in self.families:
            start = self.families[key]  # memory shared by the family: read, never written here
        elif row is None:
            own = thetas(a for a in abilities.values() if a.skill == item.skill)  # the one the rule reads
            first_p = predicted_success(own, item, exercise, self.params.ab(item))
        d, s, last, reps, lapses, due = apply_review(start, grade, at, self.params.memory, first_p)
        if start is not row:  # the family lent its memory; the counts stay the item's own
            reps, lapses = 1, lapses - start.lapses
        return self.settle(item.id, grade, (d, s, last, reps, lapses, due))

    def reviews_of_known(self, answers: list[tuple[StateRow, str, int, datetime]]) -> list[Review]:
        """What `review` gives for answers (row, item id, grade, at) to items that have a state of their own,
        in answered-at order, before the due dates are settled (`settle`, in the same order): one call of
        the memory model per round, a round holding each item at most once, each round starting from the
        states the previous one left."""
        rounds: dict[int, list[int]] = {}
        seen: dict[str, int] = {}
        for k, (_, item_id, _, _) in enumerate(answers):
            rounds.setdefault(seen.get(item_id, 0), []).append(k)
            seen[item_id] = seen.get(item_id, 0) + 1
        current: dict[str, Any] = {item_id: row for row, item_id, _, _ in answers}
        out: list[Review | None] = [None] * len(answers)
        for ks in rounds.values():  # in round order: dicts keep insertion order
            starts = [current[answers[k][1]] for k in ks]
            moved = apply_reviews(
                starts, [answers[k][2] for k in ks], [answers[k][3] for k in ks], self.params.memory
            )
            for k, review in zip(ks, moved, strict=True):
                out[k] = review
                current[answers[k][1]] = _State._make(review[:5])
        return out  # type: ignore[return-value]

    def settle(self, item_id: str, grade: int, review: Review) -> Review:
        """The due date smoothed over the coming days' load (not after a lapse), and counted in that load."""
        d, s, last, reps, lapses, due = review
        if grade != AGAIN:
            due = self.smoothed(item_id, last, due)
        self.load.put(item_id, due)
        return d, s, last, reps, lapses, due

    def remember(self, row: StateRow, item: Item, grade: int) -> None:
        """After the row is written: it may now be its family's strongest memory, and a right answer
        refreshes the family's memory (the lemma was just recalled), so no other member of it is due
        before this one (`moved` holds them, for the caller to write). Without that each member kept a
        schedule of its own, and a word practised by four exercises was reviewed four times as often as
        it needed (in the learning bench 38 % of reviews came of items whose lemma a sibling had been
        answered on within the last half of the item's interval, and 99.9 % of them were right). A
        wrong answer leaves the others as they are: the family's memory was not shown to hold; so does a
        member's relearning step after a lapse (a sibling answered right minutes after the lapse's
        feedback showed the word is no sign the word is held)."""
        key = family(item)
        if key is None:
            return
        if key not in self.families or row.stability >= self.families[key].stability:
            self.families[key] = row
        siblings = self.members.setdefault(key, [])
        if not any(map(is_, siblings, repeat(row))):  # by identity, looked over in C
            siblings.append(row)
        if grade == AGAIN:
            return
        for other in siblings:
            if other is row or relearning(other.last_review, other.due):
                continue
            if other.due is not None and other.due < row.due:  # type: ignore[operator]
                other.due = row.due
                self.load.put(other.item_id, row.due)  # type: ignore[arg-type]
                self.moved[other.item_id] = other

    def smoothed(self, item_id: str, at: datetime, due: datetime) -> datetime:
        """The least-loaded day in the planner's window around the interval (within the horizon)."""
        interval = round((due - at) / DAY)
        if interval > SMOOTHING_HORIZON_DAYS:
            return due
        # an empty slot is NaN: never counted
        offsets = np.floor((self.load.epochs - to_epoch(at)) / DAY.total_seconds())
        counted = (offsets >= 1) & (offsets <= SMOOTHING_HORIZON_DAYS)
        if item_id in self.load.slots:  # the item's own due date is no other item's load
            counted[self.load.slots[item_id]] = False
        load = np.bincount(offsets[counted].astype(int) - 1, minlength=SMOOTHING_HORIZON_DAYS)
        return at + best_day(load, interval) * DAY
