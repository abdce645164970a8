"""Assemble a mock exam from the published bank: per part, exercises of the level, the part's types and
the part's skill (an author may set another skill on an exercise, which then trains that one),
in whole groups (a reading text or a dialogue with all its questions), unseen ones first, repeatable
given a seed. A part the bank cannot fill is reported with what it has and what it needs.

Which exercise types feed which part, and how much a part holds, is the table ``PART_SOURCES``: a new
exercise type joins a part by a line there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from learning_api.study.bank import BankItem
from models.exam import EXAM_PARTS


@dataclass(frozen=True)
class PartSource:
    """``types``: exercise types that feed the part; ``target``: items to aim for (whole groups, so a
    last text may take it a little over); ``minimum``: fewer than this and the part is not available.
    ``scoring``: machine (graded at once) or teacher (scored on the rubric)."""

    types: tuple[str, ...]
    target: int
    minimum: int
    scoring: str


# A mock exam is shorter than the real one (which has 4-5 tasks a part): enough questions to score a part
# on the 25-point scale without holding the learner for two and a half hours.
PART_SOURCES: dict[str, PartSource] = {
    "listening": PartSource(("dialogue", "listen"), target=10, minimum=5, scoring="machine"),
    "reading": PartSource(("reading",), target=10, minimum=5, scoring="machine"),
    "writing": PartSource(("writing",), target=2, minimum=1, scoring="teacher"),
    "speaking": PartSource(("speaking",), target=2, minimum=1, scoring="teacher"),
}
# Types whose items are the questions of one exercise (id `<exercise id>-<question id>`, content/FORMAT.md):
# they are taken, shown and timed together.
GROUPED_TYPES = frozenset(("reading", "dialogue"))


@dataclass(frozen=True)
class Shortfall:
    part: str
    found: int
    needed: int


def group_of(item: BankItem) -> str:
    return item.id.rsplit("-", 1)[0] if item.type in GROUPED_TYPES else item.id


def assemble(
    items: Iterable[BankItem], level: str, recent: set[str], seed: int
) -> tuple[dict[str, list[list[str]]], list[Shortfall]]:
    """The groups of item ids per part (EXAM_PARTS order), and the parts the bank cannot fill.

    Groups with no item seen recently come first, in an order drawn from ``seed`` (one generator per
    part, so a change in one part's pool leaves the others as they were)."""
    pools: dict[str, dict[str, list[str]]] = {part: {} for part in EXAM_PARTS}
    kinds = {t: part for part, source in PART_SOURCES.items() for t in source.types}
    for item in items:
        part = kinds.get(item.type)
        if part is not None and item.level == level and item.skill == part:
            pools[part].setdefault(group_of(item), []).append(item.id)
    plan: dict[str, list[list[str]]] = {}
    shortfalls: list[Shortfall] = []
    for k, part in enumerate(EXAM_PARTS):
        source = PART_SOURCES[part]
        names = sorted(pools[part])
        draw = np.random.default_rng([seed, k]).permutation(len(names))
        order = sorted(
            range(len(names)), key=lambda i: (any(x in recent for x in pools[part][names[i]]), draw[i])
        )
        chosen: list[list[str]] = []
        count = 0
        for i in order:
            if count >= source.target:
                break
            chosen.append(sorted(pools[part][names[i]]))
            count += len(chosen[-1])
        if count < source.minimum:
            shortfalls.append(Shortfall(part, count, source.minimum))
        plan[part] = chosen
    return plan, shortfalls
