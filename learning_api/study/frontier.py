"""Where a learner's new material can start: the studied items, in course order, that they have not met
and (in adaptive order) whose family they do not remember.

`selection.new_material` is the rule; this only narrows what it walks. A learner with years of history has
met thousands of the course's first items, and a Python walk past each of them on every session request
cost milliseconds that grew with the history. The bank's items are indexed once (`CourseIndex`, built with
the bank), and a request marks what the learner has met with array operations, so the rule's walk starts
at the items it may keep.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from learning_api.catalog.documents import Exercise
from learning_api.study.selection import family

if TYPE_CHECKING:
    from learning_api.study.bank import BankItem, Published


@dataclass(frozen=True)
class CourseIndex:
    pairs: tuple[tuple[BankItem, Exercise], ...]  # the studied (item, exercise) pairs, course order
    places: dict[str, int]  # item id -> its place in ``pairs``
    families: dict[str, int]  # family -> its code
    family_codes: np.ndarray  # per place, its family's code; len(families) for an item of no family

    @classmethod
    def of(cls, studied: Mapping[str, Published]) -> CourseIndex:
        pairs = tuple((entry.item, entry.exercise) for entry in studied.values())
        keys = [family(item) for item, _ in pairs]  # type: ignore[arg-type]  # a BankItem reads as an Item
        families = {key: n for n, key in enumerate(dict.fromkeys(k for k in keys if k is not None))}
        codes = np.array([len(families) if k is None else families[k] for k in keys], dtype=np.intp)
        return cls(pairs, {item.id: k for k, (item, _) in enumerate(pairs)}, families, codes)

    def unmet(
        self, met: Collection[str], remembered: Collection[str], skip_remembered: bool
    ) -> Iterator[tuple[BankItem, Exercise]]:
        """The pairs whose item is not in ``met`` and, if ``skip_remembered``, whose family is not in
        ``remembered``, in course order (lazily: the rule stops when it has enough)."""
        keep = np.ones(len(self.pairs) + 1, dtype=bool)  # the last slot takes ids the bank does not hold
        keep[codes(self.places, met)] = False
        if skip_remembered:
            # slots: one per family, then "no family" (never remembered), then families the bank lacks
            known = np.zeros(len(self.families) + 2, dtype=bool)
            known[codes(self.families, remembered, len(self.families) + 1)] = True
            keep[:-1] &= ~known[self.family_codes]
        return (self.pairs[k] for k in np.flatnonzero(keep[:-1]))  # lazily: not a list of every place


def codes(table: dict[str, int], keys: Collection[str], missing: int | None = None) -> np.ndarray:
    """The keys' codes, by C-level iteration (thousands per request); a key not in ``table`` reads
    ``missing`` (by default the slot after the table's). Also how progress finds the items a learner met
    (`progress.course.LemmaIndex`)."""
    default = itertools.repeat(len(table) if missing is None else missing)
    return np.fromiter(map(table.get, keys, default), dtype=np.intp, count=len(keys))
