"""`keelerada models simulate`: an answer log to run the batch jobs on, from learners of known truth.

Simulated learners (accounts `sim-<seed>-<n>@simulated.invalid`, no usable password) study the
published course in course order for `days` days: each day their due reviews (FSRS-6 default weights,
retention 0.9) and `new_per_day` new items, answering from the ground truth of `models.learner_sim` (an
ACT-R-style memory and true abilities, not the scheduler's own model). Answers go straight into the log
(bulk inserts, one transaction a day, their study days counted with them), so a log of 100,000 answers
takes seconds rather than the minutes the HTTP path would. The same seed twice is refused rather than
doubled: the log stays what it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tqdm import tqdm

from learning_api.db.study_days import count_answers
from learning_api.db.tables import Answer, User
from learning_api.db.tables.accounts import DEFAULT_TIME_ZONE
from learning_api.kinds import HUMAN_SCORED_TYPES
from learning_api.storage import ObjectStore
from learning_api.study.published import published_exercises
from models import memory
from models.ability import SKILLS
from models.learner_sim import TrueWorld

RETENTION = 0.9
DOMAIN = "simulated.invalid"


@dataclass(frozen=True)
class SimulatedLog:
    learners: int
    answers: int


def _email(seed: int, n: int) -> str:
    return f"sim-{seed}-{n}@{DOMAIN}"


async def simulate_log(
    sessions: async_sessionmaker[AsyncSession],
    store: ObjectStore,
    start: datetime,
    learners: int = 200,
    days: int = 30,
    new_per_day: int = 12,
    seed: int = 0,
    progress: bool = True,
) -> SimulatedLog:
    async with sessions() as session:
        if await session.scalar(select(func.count()).where(User.email == _email(seed, 0))):
            raise ValueError(f"learners of seed {seed} are already in the log: pick another --seed")
        published = await published_exercises(session, store)
    # writing and speaking tasks are scored by a person, never answered right or wrong in the log
    entries = [
        p for p in published.values() if p.item.skill in SKILLS and p.item.type not in HUMAN_SCORED_TYPES
    ]
    if not entries:
        raise ValueError("no published exercises: load a course first (keelerada content upload --publish)")
    ids = [p.item.id for p in entries]
    lemma_codes: dict[str, int] = {}
    lemma = np.array(
        [lemma_codes.setdefault(p.item.lemmas[0], len(lemma_codes)) if p.item.lemmas else -1 for p in entries]
    )
    skill = np.array([SKILLS.index(p.item.skill) for p in entries])
    rng = np.random.default_rng(seed)
    world = TrueWorld.draw(learners, np.array([p.item.irt_b for p in entries]), skill, lemma, rng)
    learner_ids = [uuid.uuid4() for _ in range(learners)]
    async with sessions() as session, session.begin():
        await session.execute(insert(User), [
            {"id": learner_id, "email": _email(seed, n), "password_hash": "!", "role": "learner",
             "display_name": "", "created_at": start}
            for n, learner_id in enumerate(learner_ids)
        ])  # fmt: skip
    states = [memory.MemoryState.new(len(ids)) for _ in range(learners)]
    pace = np.clip(rng.normal(1.0, 0.3, learners), 0.3, 2.0)  # learners differ in how much they take on
    total, zone = 0, ZoneInfo(DEFAULT_TIME_ZONE)  # they have no profile: its default zone
    for day in tqdm(range(days), desc="days", disable=not progress):
        rows = []
        for k in range(learners):
            now = start + timedelta(days=day, hours=float(rng.uniform(7, 21)))
            rows += _study_day(
                world, k, learner_ids[k], states, ids, now, day, int(new_per_day * pace[k]), rng
            )
        async with sessions() as session, session.begin():
            await session.execute(insert(Answer), rows)
            await count_answers(
                session, ((r["learner_id"], r["answered_at"], r["correct"]) for r in rows), zone
            )
        total += len(rows)
    return SimulatedLog(learners, total)


def _study_day(
    world: TrueWorld,
    k: int,
    learner_id: uuid.UUID,
    states: list[memory.MemoryState],
    ids: list[str],
    now: datetime,
    day: int,
    n_new: int,
    rng: np.random.Generator,
) -> list[dict]:
    state = states[k]
    epoch = now.timestamp()
    due = np.flatnonzero(memory.next_due(state, RETENTION) <= epoch)
    new = np.flatnonzero(np.isnan(state.last_review))[:n_new]
    todo = np.r_[due, new].astype(int)
    if len(todo) == 0:
        return []
    theta = world.theta(k, day)[0]
    rows = []
    grades = np.empty(len(todo), np.int8)
    for j, item in enumerate(todo):
        at = day + j * 20 / 86_400
        p = world.answer(k, int(item), at, theta)
        correct = bool(rng.random() < p)
        latency = int(rng.lognormal(np.log(6000 if correct else 9000), 0.4))
        grades[j] = (memory.EASY if p > 0.95 else memory.GOOD) if correct else memory.AGAIN
        rows.append({
            "learner_id": learner_id, "id": uuid.uuid4(), "item_id": ids[item],
            "answered_at": now + timedelta(seconds=20 * j), "received_at": now + timedelta(seconds=20 * j),
            "response": "", "correct": correct, "verdict": "exact" if correct else "wrong",
            "grade": int(grades[j]), "latency_ms": latency, "session_id": None, "source": "session",
            "feedback": {},
        })  # fmt: skip
    after = memory.review(state.take(todo), grades, epoch)
    for name in ("difficulty", "stability", "last_review", "reps", "lapses"):
        getattr(state, name)[todo] = getattr(after, name)
    return rows
