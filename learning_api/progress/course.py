"""What the progress screen needs of the course, held once per worker: the levels and skills the published
course has exercises of, every item's lemmas (words known are counted over them) and the lessons in
course order with their studied items (the next lesson is the first with one the learner has not met).
Both are indexed by one place per item (`CourseFacts.places`), so a learner's met ids are looked up once
per request, not once per question (three lookups of 5,000 ids were most of a long history's cost).

All of them change only when lessons are published, rolled back or unpublished, and every such change
moves the lessons table's one-row signature (`study.bank.lessons_signature`): one small read a second
replaces two DISTINCT scans of the items table and a join of every memory state to its item.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Item, Lesson
from learning_api.kinds import HUMAN_SCORED_TYPES
from learning_api.study.bank import lessons_signature
from learning_api.study.frontier import codes


@dataclass(frozen=True)
class LemmaIndex:
    """Every item's lemmas as integer codes in one flat array (item k's run: ``counts[k]`` codes from
    ``starts[k]``), so the distinct lemmas of the thousands of items a learner with years of history has
    met are counted with array operations: a set of their lemma strings, built twice per progress
    request, was the request's largest Python cost (cProfile, 5,000 states)."""

    places: dict[str, int]  # item id -> k, its place (`CourseFacts.places`)
    starts: np.ndarray  # one more slot than items: an id the bank does not hold reads the last, empty run
    counts: np.ndarray
    codes: np.ndarray
    size: int  # distinct lemmas in the bank

    @classmethod
    def of(cls, lemmas: Mapping[str, Sequence[str]]) -> LemmaIndex:
        table: dict[str, int] = {}
        codes = [table.setdefault(lemma, len(table)) for words in lemmas.values() for lemma in words]
        counts = np.array([*(len(words) for words in lemmas.values()), 0], dtype=np.intp)
        starts = np.cumsum(counts) - counts
        places = {item_id: k for k, item_id in enumerate(lemmas)}
        return cls(places, starts, counts, np.array(codes, dtype=np.intp), len(table))

    def distinct(self, places: np.ndarray) -> int:
        """How many distinct lemmas the items at ``places`` practise (the last place, of ids the bank does
        not hold, practises none)."""
        counts = self.counts[places]
        run_starts = np.repeat(self.starts[places] - (np.cumsum(counts) - counts), counts)
        present = np.zeros(self.size, dtype=bool)
        present[self.codes[run_starts + np.arange(int(counts.sum()))]] = True
        return int(present.sum())


@dataclass(frozen=True)
class LessonOrder:
    """The published lessons in course order, each with its live studied items, so the next lesson is
    found from the met ids the words-known read brings anyway: a query per request that matched the
    items table against every state of the learner cost 6-8 ms whatever their history. Tasks scored by
    people (writing, speaking) leave no memory state, so they never keep a lesson open."""

    titles: tuple[dict[str, str], ...]  # per lesson, its title by language
    places: dict[str, int]  # studied item id -> its lesson's place in ``titles``
    sizes: np.ndarray  # studied items per lesson
    lesson_of: np.ndarray  # per item place (`CourseFacts.places`), its lesson; len(titles) for no lesson

    def first_unfinished(self, met: np.ndarray) -> dict[str, str] | None:
        """The title of the first lesson with a studied item not at the places ``met``, or None."""
        done = np.bincount(self.lesson_of[met], minlength=len(self.titles) + 1)[: len(self.titles)]
        unfinished = np.flatnonzero(done < self.sizes)
        return self.titles[unfinished[0]] if len(unfinished) else None


@dataclass(frozen=True)
class CourseFacts:
    signature: tuple[Any, ...]
    levels: frozenset[str]  # CEFR levels the published course has exercises of (readiness is measurable)
    skills: frozenset[str]  # skills the published course has exercises for
    lemmas: LemmaIndex  # every item ever uploaded -> its lemmas
    lessons: LessonOrder

    def places(self, item_ids: Collection[str]) -> np.ndarray:
        """The items' places, by C-level iteration; an id the course does not hold reads the last place
        (no lemmas, no lesson)."""
        return codes(self.lemmas.places, item_ids)


_CACHE: weakref.WeakKeyDictionary[Any, CourseFacts] = weakref.WeakKeyDictionary()  # per engine


async def course_facts(session: AsyncSession) -> CourseFacts:
    engine = session.get_bind()
    signature = await lessons_signature(session)
    cached = _CACHE.get(engine)
    if cached is not None and cached.signature == signature:
        return cached
    live = (
        select(Item.id, Item.level, Item.skill, Item.type, Lesson.id, Lesson.title)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(Lesson.published_version.is_not(None), Item.removed_in_version.is_(None))
        .order_by(Lesson.position, Lesson.id)
    )
    rows = (await session.execute(live)).all()
    lessons: dict[str, int] = {}  # lesson -> its place in course order
    titles: list[dict[str, str]] = []
    places: dict[str, int] = {}
    for item_id, _, _, kind, lesson_id, title in rows:
        if lesson_id not in lessons:
            lessons[lesson_id] = len(titles)
            titles.append(title)
        if kind not in HUMAN_SCORED_TYPES:
            places[item_id] = lessons[lesson_id]
    lemmas = LemmaIndex.of(
        {
            item_id: tuple(words or ())
            for item_id, words in await session.execute(select(Item.id, Item.lemmas))
        }
    )
    lesson_of = np.full(len(lemmas.places) + 1, len(titles), dtype=np.intp)
    for item_id, lesson in places.items():
        lesson_of[lemmas.places[item_id]] = lesson  # both read the items table: every live id has a place
    facts = CourseFacts(
        signature,
        frozenset(level for _, level, _, _, _, _ in rows),
        frozenset(skill for _, _, skill, _, _, _ in rows),
        lemmas,
        LessonOrder(
            tuple(titles),
            places,
            np.bincount(np.fromiter(places.values(), np.intp), minlength=len(titles)),
            lesson_of,
        ),
    )
    _CACHE[engine] = facts
    return facts
