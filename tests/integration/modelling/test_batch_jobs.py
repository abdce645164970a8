"""The batch jobs on a database of their own (SQLite, and PostgreSQL when set): a simulated log of
learners with known truth, `fit` and `calibrate` writing versions, the cache serving them, re-runs
adding nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.catalog.levels import LEVEL_DIFFICULTY
from learning_api.db.tables import Answer, Course, Item, LearnerModelParams, Lesson, ModelParams, User
from learning_api.modelling.calibrating import calibrate_items
from learning_api.modelling.fitting import fit_memory
from learning_api.modelling.params import ParamsCache
from learning_api.modelling.simulation import _study_day
from models import memory
from models.learner_sim import TrueWorld
from models.retention import CEILING, DESIRED_RETENTION
from tests.conftest import fresh_database

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
N_ITEMS, N_LEARNERS, DAYS = 40, 90, 24

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def jobs_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Sessions]:
    engine = create_async_engine(
        fresh_database(request.param, "models", tmp_path_factory), poolclass=NullPool
    )
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


async def _seed(db: Sessions) -> TrueWorld:
    """A two-level bank (two items per lemma) and learners studying it for DAYS days."""
    levels = ["A1" if k < N_ITEMS // 2 else "A2" for k in range(N_ITEMS)]
    ids = [f"t-{k:02d}" for k in range(N_ITEMS)]
    rng = np.random.default_rng(7)
    world = TrueWorld.draw(
        N_LEARNERS,
        np.array([LEVEL_DIFFICULTY[lv] for lv in levels]),
        np.zeros(N_ITEMS, int),
        np.arange(N_ITEMS) // 2,
        rng,
    )
    learners = [uuid.uuid4() for _ in range(N_LEARNERS)]
    async with db() as session, session.begin():
        session.add(Course(id="t", title={"en": "t"}))
        session.add(Lesson(id="t-1", course_id="t", level="A1", topic="t", published_version=1))
        await session.flush()
        session.add_all([
            Item(id=i, lesson_id="t-1", lesson_version=1, type="cloze", level=lv, skill="vocabulary",
                 topic="t", lemmas=[f"l{k // 2}"], irt_a=1.0, irt_b=LEVEL_DIFFICULTY[lv])
            for k, (i, lv) in enumerate(zip(ids, levels, strict=True))
        ])  # fmt: skip
        await session.execute(insert(User), [
            {"id": u, "email": f"t-{u.hex}@simulated.invalid", "password_hash": "!", "role": "learner",
             "display_name": "", "created_at": START} for u in learners
        ])  # fmt: skip
    states = [memory.MemoryState.new(N_ITEMS) for _ in range(N_LEARNERS)]
    for day in range(DAYS):
        rows = []
        for k in range(N_LEARNERS):
            now = START + timedelta(days=day, hours=float(rng.uniform(0, 8)))
            rows += _study_day(world, k, learners[k], states, ids, now, day, 4, rng)
        async with db() as session, session.begin():
            await session.execute(insert(Answer), rows)
    return world


async def test_fit_and_calibrate_write_versions_the_cache_serves(jobs_db: Sessions) -> None:
    world = await _seed(jobs_db)
    now = datetime(2026, 4, 1, tzinfo=UTC)
    async with jobs_db() as session, session.begin():
        fitted = await fit_memory(session, now, progress=False)
    scores = fitted.scores
    assert fitted.version == 1
    assert fitted.promoted == (scores["candidate"]["log_loss"] <= scores["served"]["log_loss"])
    assert scores["served_version"] is None and scores["held_out_reviews"] > 100  # served: FSRS-6 defaults

    async with jobs_db() as session, session.begin():
        calibrated = await calibrate_items(session, now, min_answers=20, progress=False)
    # ability evidence is each learner's first answer to a word: the item of a lemma met first
    # (every other one here) is calibrated; its sibling, met right after it, is answered from memory
    # and keeps its prior unless enough learners met the word through it
    assert calibrated.version == 1 and N_ITEMS // 2 <= calibrated.calibrated < N_ITEMS
    async with jobs_db() as session:
        row = await session.get(ModelParams, ("items", 1))
        items = {i.id: i for i in await session.scalars(select(Item))}
        answers = (await session.execute(select(Answer.item_id, Answer.correct))).all()
        own = (await session.scalars(select(LearnerModelParams))).all()
    first = [f"t-{k:02d}" for k in range(0, N_ITEMS, 2)]
    assert set(first) <= set(row.params["items"])
    b = np.array([row.params["items"][i][1] for i in first])
    a = np.array([row.params["items"][i][0] for i in first])
    # linked to the authors' levels: each level's mean stays where the authors put it...
    half = len(first) // 2
    assert abs(b[:half].mean() - LEVEL_DIFFICULTY["A1"]) < 0.3
    assert abs(b[half:].mean() - LEVEL_DIFFICULTY["A2"]) < 0.3
    # ...discriminations stay plausible (memory-driven sibling answers drove them to the prior's ceiling)...
    assert 0.4 < np.median(a) < 2.5
    # ...while the items inside a level are told apart by what learners did
    within = world.beta[::2] - np.repeat([LEVEL_DIFFICULTY["A1"], LEVEL_DIFFICULTY["A2"]], half)
    found = b - np.repeat([b[:half].mean(), b[half:].mean()], half)
    assert np.corrcoef(within, found)[0, 1] > 0.6
    assert sum(i.n_answers for i in items.values()) == len(answers)
    assert sum(i.n_correct for i in items.values()) == sum(c for _, c in answers)
    assert len(row.params["cuts"]) == 4 and row.params["cuts"] == sorted(row.params["cuts"])
    assert len(own) == (fitted.learners if fitted.promoted else 0)  # a rejected fit serves no learner weights

    cache = ParamsCache(refresh_seconds=0)
    async with jobs_db() as session:
        served = await cache.current(session)
    assert served.items_version == 1 and served.item_ab("t-00", 1.0, 0.0) == tuple(
        row.params["items"]["t-00"]
    )
    assert served.memory_version == (1 if fitted.promoted else None)
    # the version carries the target its own held-out calibration asks for, and the cache serves it
    async with jobs_db() as session:
        memory_row = await session.get(ModelParams, ("memory", 1))
    assert DESIRED_RETENTION <= memory_row.params["retention"] <= CEILING
    assert scores["retention"] == round(memory_row.params["retention"], 4)
    assert served.retention == (memory_row.params["retention"] if fitted.promoted else DESIRED_RETENTION)

    async with jobs_db() as session, session.begin():  # nothing new in the log: both jobs add nothing
        assert (await fit_memory(session, now, progress=False)).version is None
        assert (await calibrate_items(session, now, progress=False)).version is None
