"""The request path's aggregate reads say what the full reads they replaced said: words known from the
database's whole-day rule equal the memory model's R ≥ 0.9 over every state, due counts equal a count
over the rows, the answer intake's window of due dates is the rows' due dates (and its logged ids the
log's), the due queue is the soonest due, capped, a family's memory is its member state of the highest
stability, and the next lesson (found from the met ids and the course cache) is the first published
lesson with a studied item not met."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.accounts.service import register
from learning_api.db.bulk import upsert_all
from learning_api.db.tables import AbilitySnapshot, Item, Lesson, ReviewState
from learning_api.kinds import HUMAN_SCORED_TYPES
from learning_api.progress import readiness
from learning_api.progress.course import course_facts
from learning_api.progress.service import next_lesson, state_facts, words_known
from learning_api.settings import Settings
from learning_api.study.evidence import answer_memory
from learning_api.study.memory import recall_now, to_epoch
from learning_api.study.repository import LoggedAnswer, answers_insert, read_abilities
from learning_api.study.states import due_rows, strongest_states
from models.ability import SKILLS
from tests.conftest import published_lesson, unique_email

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)


async def test_aggregate_reads_match_the_rows(
    db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    exercises = await published_lesson(db, settings, tmp_path)
    rng = np.random.default_rng(7)
    async with db() as session, session.begin():
        learner = await register(session, email=unique_email(), password="hea-parool-123")
        for item_id in exercises:
            last = NOW - timedelta(days=float(rng.uniform(0, 40)))
            stability = float(rng.uniform(0.5, 30))
            session.add(
                ReviewState(
                    learner_id=learner.id, item_id=item_id, difficulty=5.0, stability=stability,
                    last_review=last, due=last + timedelta(days=stability), reps=2, lapses=0,
                )
            )  # fmt: skip
    async with db() as session:
        rows = list(await session.scalars(select(ReviewState).where(ReviewState.learner_id == learner.id)))
        lemmas = {i: words for i, words in await session.execute(select(Item.id, Item.lemmas))}
        best: dict[str, float] = {}
        for row, r in zip(rows, recall_now(rows, NOW), strict=True):
            for lemma in lemmas[row.item_id] or ():
                best[lemma] = max(best.get(lemma, 0.0), float(r))
        expected = (sum(r >= 0.9 for r in best.values()), len(best))
        course = await course_facts(session)
        edges = [NOW + timedelta(days=k) for k in range(4)]
        facts = await state_facts(session, learner.id, NOW, course, edges)
        met, recalled = facts.met, facts.recalled
        assert words_known(met, recalled, course.lemmas) == expected
        assert sorted(met.tolist()) == sorted(course.places([r.item_id for r in rows]).tolist())

        # the next lesson: the first in course order with a studied item not met (writing and speaking
        # tasks leave no state, so they never hold a lesson open), said here as one query over the rows
        unmet = (
            select(Lesson.title)
            .join(Item, Item.lesson_id == Lesson.id)
            .where(Lesson.published_version.is_not(None), Item.removed_in_version.is_(None))
            .where(Item.type.not_in(HUMAN_SCORED_TYPES), Item.id.not_in([r.item_id for r in rows]))
            .order_by(Lesson.position, Lesson.id)
            .limit(1)
        )
        title = await session.scalar(unmet)
        assert next_lesson(course.lessons, met, "en") == (title and (title.get("en") or title["et"]))
        everything = [r.item_id for r in rows] + list(course.lessons.places)
        assert next_lesson(course.lessons, course.places(everything), "en") is None
        lesson_id = (await session.get(Item, rows[0].item_id)).lesson_id  # type: ignore[union-attr]
        lesson_items = [i for i, e in exercises.items() if e.type not in HUMAN_SCORED_TYPES]
        assert lesson_items and set(lesson_items) <= {r.item_id for r in rows}  # this lesson: all met
        others = [i for i in course.lessons.places if i not in exercises]
        own = (await session.get(Lesson, lesson_id)).title  # type: ignore[union-attr]
        assert next_lesson(course.lessons, course.places(others), "et") == own["et"]  # only this one is left

        assert facts.below == [sum(r.due < edge for r in rows) for edge in edges]

        # the answer intake's read: the answered states as rows, the window's due dates aggregated, the
        # same epoch seconds as the rows' (to the microsecond), and which answer ids are logged already
        logged = LoggedAnswer(
            learner.id,
            uuid.uuid4(),
            rows[0].item_id,
            NOW,
            NOW,
            "maja",
            True,
            "exact",
            3,
            None,
            None,
            "study",
            {},
        )
        await upsert_all(session, [answers_insert([logged])])
        start, answered = NOW - timedelta(days=1), [rows[0].item_id, "never-met"]
        ids = [logged.id, uuid.uuid4()]
        memory = await answer_memory(session, learner.id, answered, {}, start, 32, ids)
        assert memory.logged == {logged.id}
        assert {i: s.stability for i, s in memory.states.items()} == {rows[0].item_id: rows[0].stability}
        window = {r.item_id: to_epoch(r.due) for r in rows if start < r.due <= start + timedelta(days=32)}
        assert len(window) > 3
        load = memory.load
        assert {i: float(load.epochs[k]) for i, k in load.slots.items()} == window

        queue = await due_rows(session, learner.id, NOW, limit=3)
        soonest = sorted((r for r in rows if r.due <= NOW), key=lambda r: (r.due, r.item_id))[:3]
        assert [r.item_id for r in queue] == [r.item_id for r in soonest]

        # families of three members (two with equal stability, ties go to the lower id), one not met, and
        # a passed-over item (not studied) that would otherwise be its family's memory
        ids = sorted(r.item_id for r in rows)
        for state in rows:
            state.family = f"family-{ids.index(state.item_id) % 3}"
        twin = next(r for r in rows if r.item_id == ids[0])
        row = next(r for r in rows if r.item_id == ids[3])
        row.stability = twin.stability = 99.0
        skipped = next(r for r in rows if r.item_id == ids[1])
        skipped.stability = 500.0
        await session.commit()
        families = {"family-0", "family-1", "family-2", "family-x"}
        strongest = await strongest_states(session, learner.id, families, [skipped.item_id])
        for key in families - {"family-x"}:
            members = [r for r in rows if r.family == key and r is not skipped]
            best_row = min(members, key=lambda r: (-r.stability, r.item_id))
            assert strongest[key].item_id == best_row.item_id
            assert strongest[key].stability == best_row.stability
        assert strongest["family-0"].item_id == ids[0] and "family-x" not in strongest
        assert strongest["family-1"].item_id != skipped.item_id


async def test_growth_reads_the_last_year_of_snapshots(db: async_sessionmaker[AsyncSession]) -> None:
    """A learner with years of history: the growth fit is the fit of the window's snapshots alone, the
    years before it (here a steep early climb) change nothing, and a new snapshot in the window does."""
    today = NOW.date()
    async with db() as session, session.begin():
        learner = await register(session, email=unique_email(), password="hea-parool-123")
        for back in range(0, 3 * 365, 3):  # every third day for three years: fast at first, then level
            day = (today - timedelta(days=back)).isoformat()
            level = -2.0 + 3.0 * min(1.0, (3 * 365 - back) / 365)
            for skill in SKILLS:
                session.add(AbilitySnapshot(learner_id=learner.id, day=day, skill=skill, theta=level, se=0.3))
    async with db() as session:
        abilities = await read_abilities(session, learner.id)
        growth = await readiness.growth_for(session, learner.id, abilities, today)
        start = (today - timedelta(days=readiness.GROWTH_WINDOW_DAYS)).isoformat()
        rows = [
            (s.day, s.skill, s.theta, s.se)
            for s in await session.scalars(
                select(AbilitySnapshot).where(AbilitySnapshot.learner_id == learner.id)
            )
        ]
        window = readiness.growth_of(
            readiness.trend([r for r in rows if r[0] > start], *readiness.current(abilities))
        )
        everything = readiness.growth_of(readiness.trend(rows, *readiness.current(abilities)))
    assert np.allclose(growth.rate, window.rate) and np.allclose(growth.rate_sd, window.rate_sd)
    assert np.all(everything.rate > window.rate + 1e-4)  # the early climb would have claimed growth
    async with db() as session, session.begin():
        for skill in SKILLS:
            session.add(AbilitySnapshot(learner_id=learner.id, day=(today + timedelta(days=1)).isoformat(),
                                        skill=skill, theta=2.0, se=0.3))  # fmt: skip
    async with db() as session:
        moved = await readiness.growth_for(session, learner.id, abilities, today + timedelta(days=1))
    assert np.all(moved.rate > growth.rate)
