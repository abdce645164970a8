"""The answer log read in chunks into column arrays, the shape `models/` fits on.

Why chunks by keyset (answered_at, learner, id) instead of one query: the log is the biggest table and
only grows; a keyset page is an index range scan however deep it goes, and Python holds one page of
rows at a time. What stays in memory is a few numbers per answer (about 40 bytes), never ORM objects.
Items are read once (the bank is small) and referred to by index.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from tqdm import tqdm

from learning_api.catalog.documents import EXERCISE_TYPES
from learning_api.db.tables import Answer, Item
from models.reviewlog import ReviewLog

CHUNK = 20_000
PLACEMENT = "placement"


@dataclass(frozen=True)
class ItemTable:
    ids: list[str]
    index: dict[str, int]
    skill: list[str]
    level: list[str]
    type_code: np.ndarray  # index in EXERCISE_TYPES, stable across runs (the recall layer stores them)
    lemma: np.ndarray  # code of the item's first lemma, -1 for none
    prior_a: np.ndarray
    prior_b: np.ndarray


@dataclass(frozen=True)
class AnswerColumns:
    """One element per answer, in answered-at order."""

    learner: np.ndarray  # index into learner_ids
    learner_ids: list[uuid.UUID]
    item: np.ndarray  # index into the ItemTable
    time: np.ndarray  # epoch seconds
    grade: np.ndarray
    correct: np.ndarray
    latency_ms: np.ndarray  # NaN when unknown
    placement: np.ndarray  # answered in a placement test (not a review of something studied)
    newest: str  # answered_at of the last answer read, ISO, "" for an empty log

    def __len__(self) -> int:
        return len(self.time)

    def take(self, rows: np.ndarray) -> AnswerColumns:
        return AnswerColumns(
            self.learner[rows],
            self.learner_ids,
            self.item[rows],
            self.time[rows],
            self.grade[rows],
            self.correct[rows],
            self.latency_ms[rows],
            self.placement[rows],
            self.newest,
        )

    def review_log(self, items: ItemTable, difficulty: np.ndarray | None = None) -> ReviewLog:
        """The memory model's view: one (learner, item) pair per card, stable exercise-type codes."""
        pair = self.learner.astype(np.int64) * len(items.ids) + self.item
        _, pair_code = np.unique(pair, return_inverse=True)
        return ReviewLog(
            learner=self.learner.astype(np.int64), item=pair_code.astype(np.int64), time=self.time,
            grade=self.grade.astype(np.int8), duration_ms=self.latency_ms,
            exercise=items.type_code[self.item], lemma=items.lemma[self.item],
            item_difficulty=np.full(len(self), np.nan) if difficulty is None else difficulty[self.item],
        )  # fmt: skip


async def read_items(session: AsyncSession) -> ItemTable:
    rows = (await session.scalars(select(Item).order_by(Item.id))).all()
    lemmas: dict[str, int] = {}
    return ItemTable(
        ids=[r.id for r in rows], index={r.id: k for k, r in enumerate(rows)},
        skill=[r.skill for r in rows], level=[r.level for r in rows],
        type_code=np.array([EXERCISE_TYPES.index(r.type) if r.type in EXERCISE_TYPES else -1 for r in rows],
                           dtype=np.int64),
        lemma=np.array([lemmas.setdefault(r.lemmas[0], len(lemmas)) if r.lemmas else -1 for r in rows],
                       dtype=np.int64),
        prior_a=np.array([r.irt_a for r in rows], float), prior_b=np.array([r.irt_b for r in rows], float),
    )  # fmt: skip


async def read_answers(
    session: AsyncSession, items: ItemTable, chunk: int = CHUNK, progress: bool = True
) -> AnswerColumns:
    """Every answer, page by page in answered-at order, with a progress bar on stderr."""
    columns: dict[str, list[np.ndarray]] = {
        k: [] for k in ("learner", "item", "time", "grade", "correct", "latency", "placement")
    }
    learners: dict[uuid.UUID, int] = {}
    key = None
    newest = ""
    query = select(
        Answer.answered_at,
        Answer.learner_id,
        Answer.id,
        Answer.item_id,
        Answer.grade,
        Answer.correct,
        Answer.latency_ms,
        Answer.source,
    )
    order = (Answer.answered_at, Answer.learner_id, Answer.id)
    with tqdm(desc="answers", unit=" answers", disable=not progress) as bar:
        while True:
            page = query.order_by(*order).limit(chunk)
            if key is not None:
                page = page.where(tuple_(*order) > tuple_(*key))
            rows = (await session.execute(page)).all()
            if not rows:
                break
            known = [r for r in rows if r.item_id in items.index]
            columns["learner"].append(
                np.array([learners.setdefault(r.learner_id, len(learners)) for r in known], dtype=np.int64)
            )
            columns["item"].append(np.array([items.index[r.item_id] for r in known], dtype=np.int64))
            columns["time"].append(np.array([r.answered_at.timestamp() for r in known], float))
            columns["grade"].append(np.array([r.grade for r in known], dtype=np.int8))
            columns["correct"].append(np.array([r.correct for r in known], dtype=bool))
            columns["latency"].append(
                np.array([np.nan if r.latency_ms is None else r.latency_ms for r in known], float)
            )
            columns["placement"].append(np.array([r.source == PLACEMENT for r in known], dtype=bool))
            key = (rows[-1].answered_at, rows[-1].learner_id, rows[-1].id)
            newest = rows[-1].answered_at.isoformat()
            bar.update(len(rows))

    def joined(name: str, dtype: type) -> np.ndarray:
        return np.concatenate(columns[name]) if columns[name] else np.zeros(0, dtype)

    return AnswerColumns(
        learner=joined("learner", np.int64), learner_ids=list(learners), item=joined("item", np.int64),
        time=joined("time", float), grade=joined("grade", np.int8), correct=joined("correct", bool),
        latency_ms=joined("latency", float), placement=joined("placement", bool), newest=newest,
    )  # fmt: skip
