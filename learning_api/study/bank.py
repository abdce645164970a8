"""The published item bank, held once per worker: every live exercise with its item row, in course order.

Sessions, answers, placement and assignments all ask "which exercises are live, and what are they?".
Answering from scratch costs a lesson document per published lesson from object storage and a read of
the item rows, on every request. Lesson versions are immutable and every publish, roll-back or unpublish
changes the lessons table, so the bank is rebuilt only when a one-row aggregate over that table (lesson
count, newest change, sum of published versions) differs from the one it was built for: one small read
a second per worker at most (`lessons_signature`). The item families (items sharing a first lemma, whose
memory is shared) are indexed in the same build, so no request scans the items table. Calibrated item
parameters do not live here (batch jobs version them: `modelling.params`).

Items are frozen copies (`BankItem`): the bank is shared by every request of the worker, so nothing may
change it in place, and it is bound to no database session.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

import anyio
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import Exercise
from learning_api.catalog.library import exercises_by_id, load_lesson
from learning_api.db.tables import Item, Lesson
from learning_api.heap import freeze_new_long_lived
from learning_api.kinds import HUMAN_SCORED_TYPES
from learning_api.storage import ObjectNotFound, ObjectStore
from learning_api.study.frontier import CourseIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, eq=False)
class BankItem:
    """The item row's fields, read-only (the same names and types as `Item`, so rules read either)."""

    id: str
    lesson_id: str
    lesson_version: int
    type: str
    level: str
    skill: str
    topic: str
    lemmas: list[str]
    grammar: list[str]
    irt_a: float
    irt_b: float
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Published:
    item: BankItem
    exercise: Exercise


@dataclass(frozen=True)
class Bank:
    signature: tuple[Any, ...]
    entries: dict[str, Published]  # by item id, in course order (lesson position, lesson id, item id)
    lessons: dict[str, int]  # published version per lesson, in course order
    skills: frozenset[str]  # skills the live exercises practise
    # every item ever uploaded (published or not) per family (first lemma): memory is shared within a
    # family, and a learner's memory of an item that left the course still counts for its family
    families: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # what sessions offer: the live entries but writing and speaking tasks (answered by submissions,
    # scored by a person days later, no spaced-repetition items), with their families
    studied: dict[str, Published] = field(default_factory=dict)
    live_families: dict[str, tuple[str, ...]] = field(default_factory=dict)  # studied members, course order

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each live entry's place in course order, indexed once per bank (not per request)."""
        return {item_id: k for k, item_id in enumerate(self.entries)}

    @cached_property
    def unstudied(self) -> dict[str, tuple[str, ...]]:
        """Per family, its items outside what sessions offer (retired, unpublished, scored by a person):
        a learner's states of them are not the family's memory in a session. Indexed once per bank."""
        lists = {key: tuple(i for i in ids if i not in self.studied) for key, ids in self.families.items()}
        return {key: ids for key, ids in lists.items() if ids}

    @cached_property
    def course(self) -> CourseIndex:
        """The studied items indexed for finding a learner's new material, once per bank (not per request)."""
        return CourseIndex.of(self.studied)

    def select(self, item_ids: Collection[str] | None = None) -> dict[str, Published]:
        """The live entries among ``item_ids`` (all when None), in course order."""
        if item_ids is None:
            return dict(self.entries)
        wanted = set(item_ids)
        if len(wanted) * 8 < len(self.entries):  # few ids: look them up, then restore course order
            found = [i for i in wanted if i in self.entries]
            return {i: self.entries[i] for i in sorted(found, key=self.positions.__getitem__)}
        return {i: p for i, p in self.entries.items() if i in wanted}


class _Cache:
    def __init__(self) -> None:
        self.bank: Bank | None = None
        self.lock = anyio.Lock()


_CACHES: weakref.WeakKeyDictionary[ObjectStore, _Cache] = weakref.WeakKeyDictionary()


# One statement for the life of the process (every request sends it): SQLAlchemy's compiled cache serves
# it, where building the aggregate anew cost a single answer a tenth of its CPU time. Of the table, not
# the mapped class: an ORM-enabled select runs the ORM's execution steps on every call, twice the CPU of
# the read itself.
_LESSONS = Lesson.__table__.c
_SIGNATURE = select(
    func.count(_LESSONS.id),
    func.max(_LESSONS.updated_at),
    func.coalesce(func.sum(_LESSONS.published_version), 0),
    func.count(_LESSONS.published_version),
)
# How long a worker trusts its last read of the signature. A lesson written in this process is seen at
# once (`_lessons_written`); one published by another worker or by the upload script within a second.
# Read on every request, the signature was about 15 % of one answer's worker CPU and a round trip.
SIGNATURE_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class _Read:
    signature: tuple[Any, ...]
    at: float  # time.monotonic() of the read
    writes: int  # `_WRITES` before the read


_READS: weakref.WeakKeyDictionary[Any, _Read] = weakref.WeakKeyDictionary()  # per engine
_WRITES = [0]  # lesson rows this process has written (inserted, updated, deleted)


@event.listens_for(Lesson, "after_insert")
@event.listens_for(Lesson, "after_update")
@event.listens_for(Lesson, "after_delete")
def _lessons_written(*_: Any) -> None:
    _WRITES[0] += 1


async def lessons_signature(session: AsyncSession) -> tuple[Any, ...]:
    """The lessons table's one-row aggregate (lesson count, newest change, sum and count of published
    versions): every publish, roll-back or unpublish moves it. Read again after `SIGNATURE_SECONDS`, or
    at once after this process wrote a lesson."""
    engine, writes = session.get_bind(), _WRITES[0]
    read = _READS.get(engine)
    if read is not None and read.writes == writes and time.monotonic() - read.at < SIGNATURE_SECONDS:
        return read.signature
    at = time.monotonic()
    row = (await session.execute(_SIGNATURE)).one()
    newest: datetime | None = row[1]
    signature = (int(row[0]), newest.isoformat() if newest else None, int(row[2]), int(row[3]))
    _READS[engine] = _Read(signature, at, writes)
    return signature


async def published_bank(session: AsyncSession, store: ObjectStore) -> Bank:
    """The bank as of now: the worker's copy when the lessons table is unchanged, else rebuilt (once,
    however many requests ask at the same moment)."""
    cache = _CACHES.get(store)
    if cache is None:
        cache = _CACHES.setdefault(store, _Cache())
    signature = await lessons_signature(session)
    if cache.bank is not None and cache.bank.signature == signature:
        return cache.bank
    async with cache.lock:
        if cache.bank is None or cache.bank.signature != signature:
            cache.bank = await _build(session, store, signature)
            freeze_new_long_lived()  # the bank lives until the next publication
        return cache.bank


async def _build(session: AsyncSession, store: ObjectStore, signature: tuple[Any, ...]) -> Bank:
    rows = (
        await session.execute(
            select(Item, Lesson.published_version)
            .join(Lesson, Lesson.id == Item.lesson_id)
            .where(Lesson.published_version.is_not(None))
            .order_by(Lesson.position, Lesson.id, Item.id)
        )
    ).all()
    versions = {item.lesson_id: version for item, version in rows}
    documents = await anyio.to_thread.run_sync(_documents, store, versions)  # once per new version
    entries: dict[str, Published] = {}
    for item, _ in rows:
        exercise = documents.get(item.lesson_id, {}).get(item.id)
        if exercise is not None:  # an item dropped from the published version is not live
            entries[item.id] = Published(_frozen(item), exercise)
    studied = {i: p for i, p in entries.items() if p.item.type not in HUMAN_SCORED_TYPES}
    families: dict[str, list[str]] = {}
    for item_id, lemmas in await session.execute(select(Item.id, Item.lemmas).order_by(Item.id)):
        if lemmas:
            families.setdefault(lemmas[0], []).append(item_id)
    return Bank(
        signature,
        entries,
        versions,
        frozenset(p.item.skill for p in entries.values()),
        {key: tuple(ids) for key, ids in families.items()},
        studied,
        _live_families(studied),
    )


def _live_families(entries: dict[str, Published]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for item_id, entry in entries.items():
        if entry.item.lemmas:
            out.setdefault(entry.item.lemmas[0], []).append(item_id)
    return {key: tuple(ids) for key, ids in out.items()}


def _documents(store: ObjectStore, versions: dict[str, int]) -> dict[str, dict[str, Exercise]]:
    """The exercises of each published version. A version missing from the store (a store swapped under
    the database) leaves only that lesson out, loudly; a store that is down fails the request instead,
    so no empty bank is ever kept."""
    documents = {}
    for lesson, version in versions.items():
        try:
            documents[lesson] = exercises_by_id(load_lesson(store, lesson, version))
        except ObjectNotFound:
            log.error("published lesson %s version %s is missing from the object store", lesson, version)
    return documents


def _frozen(item: Item) -> BankItem:
    return BankItem(
        id=item.id,
        lesson_id=item.lesson_id,
        lesson_version=item.lesson_version,
        type=item.type,
        level=item.level,
        skill=item.skill,
        topic=item.topic,
        lemmas=list(item.lemmas or ()),
        grammar=list(item.grammar or ()),
        irt_a=item.irt_a,
        irt_b=item.irt_b,
        extra=dict(item.extra or {}),
    )
