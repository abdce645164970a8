"""The session's narrow reads of what a learner has met give the rules the answers the full read gave:
for many learners with random histories (families, items sessions do not offer, items of no family,
assignments), the remembered families, the course's unmet items, the seen-ness of every id the session
asks about and the week's due counts equal those computed from every state, as the session did before
it read only what its rules look at."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.accounts.service import register
from learning_api.catalog.documents import Exercise
from learning_api.db.tables import ReviewState
from learning_api.settings import Settings
from learning_api.study.bank import BankItem, Published
from learning_api.study.coverage import doubtful, read_met, remembered
from learning_api.study.frontier import CourseIndex
from learning_api.study.states import strongest_states
from tests.conftest import published_lesson, unique_email

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
EDGES = [NOW + timedelta(hours=9) + timedelta(days=k) for k in range(8)]
FAMILIES = ["aitäh", "tere", "maja", "kool", None]


def _published(item_id: str, key: str | None) -> Published:
    lemmas = [key] if key else []
    item = BankItem(item_id, "x", 1, "flashcard", "A1", "vocabulary", "greetings", lemmas, [], 1.0, 0.0)
    exercise = Exercise(id=item_id, type="flashcard", skill="vocabulary", lemmas=lemmas, answers=["x"])
    return Published(item, exercise)


async def test_narrow_reads_answer_as_the_full_read(
    db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    ids = sorted(await published_lesson(db, settings, tmp_path / "a"))
    ids += sorted(await published_lesson(db, settings, tmp_path / "b"))
    rng = np.random.default_rng(14)
    for _ in range(12):
        family_of = {i: FAMILIES[rng.integers(len(FAMILIES))] for i in ids}
        offered = {i for i in ids if rng.random() < 0.75}  # the rest: items sessions do not offer
        unstudied: dict[str, tuple[str, ...]] = {}
        for i in ids:
            if i not in offered and family_of[i] is not None:
                unstudied[family_of[i]] = (*unstudied.get(family_of[i], ()), i)
        course = CourseIndex.of({i: _published(i, family_of[i]) for i in ids if i in offered})
        met_ids = [i for i in ids if rng.random() < 0.5]
        assigned = [i for i in ids if i in offered and rng.random() < 0.2]
        due_families = {key for key in FAMILIES[:-1] if rng.random() < 0.5}
        async with db() as session, session.begin():
            learner = await register(session, email=unique_email(), password="hea-parool-123")
            for i in met_ids:
                due = NOW + timedelta(days=float(rng.uniform(-3, 9)))
                session.add(
                    ReviewState(
                        learner_id=learner.id, item_id=i, difficulty=5.0, stability=float(rng.uniform(1, 9)),
                        last_review=NOW - timedelta(days=2), due=due, reps=1, lapses=0, family=family_of[i],
                    )
                )  # fmt: skip
        async with db() as session:
            mine = ReviewState.learner_id == learner.id
            rows = list(await session.scalars(select(ReviewState).where(mine)))
            every = {r.item_id for r in rows}
            old_remembered = {family_of[i] for i in every if i in offered} - {None}
            old_unmet = [item.id for item, _ in course.unmet(every | set(assigned), old_remembered, True)]

            met = await read_met(session, learner.id, False, due_families, assigned, EDGES)
            doubts = doubtful(met, unstudied)
            passed_over = [i for key in doubts for i in unstudied[key]]
            strongest = await strongest_states(session, learner.id, doubts, passed_over)
            known = remembered(met, doubts, strongest)
            assert known == old_remembered
            assert [item.id for item, _ in course.unmet(met.items | set(assigned), known, True)] == old_unmet
            # narrowed by the ids no family rule covers only, the walk yields the same items
            assert [item.id for item, _ in course.unmet([*met.unruled, *assigned], known, True)] == old_unmet
            asked = {i for i in ids if family_of[i] in due_families} | set(assigned)
            assert {i for i in asked if i in met.items} == asked & every

            whole = await read_met(session, learner.id, True, (), (), EDGES)
            assert whole.items == every and whole.families == set() and set(whole.unruled) == every
            days = itertools.pairwise(EDGES)
            assert met.week == whole.week == [sum(a <= r.due < b for r in rows) for a, b in days]
            assert met.due_today == whole.due_today == sum(r.due < EDGES[0] for r in rows)
            await session.execute(delete(ReviewState).where(mine))
            await session.commit()
