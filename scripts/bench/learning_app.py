"""The app side of the learning bench: a simulated learner's day through the service layer, as a client
studies (`learning` runs the arms; `learning_truth` holds the learners and scores them)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.accounts.service import get_profile
from learning_api.catalog.documents import Exercise
from learning_api.db.tables import LearnerProfile, User
from learning_api.kinds import TRUE_FALSE, StudyOrder
from learning_api.modelling.params import ParamsCache
from learning_api.storage import ObjectStore
from learning_api.study.answers import record_answers
from learning_api.study.published import Published
from learning_api.study.schemas import AnswerIn
from learning_api.study.session import build_session
from models.learner_sim import TrueWorld
from scripts.bench.learning_truth import SECONDS_OVERHEAD

START = datetime(2026, 1, 5, 8, tzinfo=UTC)
# What a client asks for: a session of what fits the minutes left, at about this long per item (an answer
# takes 6-9 s plus the overhead), at most the API's largest session.
SECONDS_PER_ITEM = 12.0
MAX_SESSION = 100


def _wrong(exercise: Exercise) -> str:
    """A wrong answer the app can read: another truth value for a true-false question, a wrong word on
    every line of a match (a one-line "ei tea" is refused as unreadable, so before this only the right
    answers to those questions reached the log and inflated reading and listening ability), else a
    wrong word."""
    if exercise.kind == "true-false":
        return next(t for t in TRUE_FALSE if t != exercise.answers[0])
    if exercise.kind == "match":
        return "\n".join("ei tea" for _ in exercise.answers[0].split("\n"))
    return "ei tea"


def _answer(entry: Published, right: bool, latency_ms: float, at: datetime) -> AnswerIn:
    """What the learner sends: the model answer when right, a wrong one otherwise (`_wrong`); a flashcard
    graded by the learner gets the self-grade instead."""
    exercise = entry.exercise
    if exercise.type == "flashcard" and exercise.direction != "native-et":
        return AnswerIn(
            id=uuid.uuid4(),
            item_id=entry.item.id,
            answered_at=at,
            latency_ms=int(latency_ms),
            self_grade=3 if right else 1,
        )
    return AnswerIn(
        id=uuid.uuid4(),
        item_id=entry.item.id,
        answered_at=at,
        latency_ms=int(latency_ms),
        response=exercise.answers[0] if right else _wrong(exercise),
    )


async def learner_ids(sessions, n: int, order: StudyOrder) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
    ids = [uuid.uuid4() for _ in range(n)]
    async with sessions() as session, session.begin():
        for k, learner in enumerate(ids):
            session.add(
                User(id=learner, email=f"bench-{k}@simulated.invalid", password_hash="!", role="learner")
            )
        await session.flush()
        for learner in ids:
            profile = await get_profile(session, learner)
            profile.target_level, profile.instruction_language, profile.study_order = "A2", "en", order
    return ids


@dataclass
class AppArm:
    """One learner's study through the service layer, as a client does it: fetch a session that fits the
    minutes left today, answer it in order until the minutes run out, upload the answers in one batch;
    fetch again while minutes remain (a lapse comes back the same day).

    Each learner-day draws from its own random stream (the run's seed, the learner, the day): what a
    learner does never depends on which process studies them, nor on who studied before them."""

    sessions: async_sessionmaker[AsyncSession]
    store: ObjectStore
    published: dict[str, Published]
    index: dict[str, int]
    world: TrueWorld
    seed: int
    cache: ParamsCache
    profiles: dict[uuid.UUID, LearnerProfile]  # read once per phase: nothing in a day of study changes them

    async def day(self, learner: uuid.UUID, k: int, day: int, budget: float) -> float:
        """Seconds studied by learner ``k`` on ``day``."""
        rng = np.random.default_rng([self.seed, k, day])
        now = START + timedelta(days=day, hours=float(rng.uniform(0, 10)))
        used, theta = 0.0, self.world.theta(k, day)[0]
        while used < budget:
            size = min(MAX_SESSION, math.ceil((budget - used) / SECONDS_PER_ITEM))
            async with self.sessions() as session, session.begin():
                profile, seed = self.profiles[learner], day * 1000 + k
                out = await build_session(
                    session,
                    self.store,
                    learner,
                    profile,
                    now,
                    size,
                    seed,
                    timedelta(hours=1),
                    params=self.cache,
                )
                if not out.items:
                    break
                batch = []
                for item in out.items:
                    at = day + (now - START - timedelta(days=day)).total_seconds() / 86_400
                    j = self.index[item.item_id]
                    right = bool(rng.random() < self.world.answer(k, j, at, theta))
                    latency = float(rng.lognormal(np.log(6000 if right else 9000), 0.4))
                    batch.append(_answer(self.published[item.item_id], right, latency, now))
                    now += timedelta(milliseconds=latency + SECONDS_OVERHEAD * 1000)
                    used += latency / 1000 + SECONDS_OVERHEAD
                    if used >= budget:
                        break
                await record_answers(
                    session, self.store, learner, "en", list(enumerate(batch)), now, params=self.cache
                )
        return used


async def profiles_of(
    sessions: async_sessionmaker[AsyncSession], ids: list[uuid.UUID]
) -> dict[uuid.UUID, LearnerProfile]:
    """The learners' profiles, detached, as the app's token lookup hands a request its learner's profile:
    a session fetch needs no read of its own (a read per fetch was about 5 % of a study day's CPU)."""
    async with sessions() as session:
        profiles = {learner: await get_profile(session, learner) for learner in ids}
        session.expunge_all()
    return profiles
