"""Learning efficiency: simulated learners study the real starter course for 60 days, then sit an exam.

Arms, on the same learners (same truth, same seeds):
- adaptive: the app now (service layer: `build_session` + `record_answers`, SQLite, injected clock), with
  the batch jobs (`models fit`, `models calibrate`) run every 20 days on the log the arm produced and
  fitted parameters served (`Settings.use_fitted_params`);
- before: the app as it was: learners in course order (`StudyOrder.COURSE`: every exercise in order,
  nothing skipped as known or as of a remembered family, no family brought in early), fitted parameters
  switched off (default weights, author-level difficulties) and no batch jobs;
- sm2: course order with SM-2 intervals (`models.baselines` rules), simulated beside the app.

Each learner studies a fixed number of minutes a day (answers take the time the truth says). Answers
come from `models.learner_sim`: ACT-R base-level memory with the spacing effect, shared per lemma, and
true abilities per skill that grow with what is held: another family than the app's FSRS/2PL models.

How the simulation is kept from flattering the scheduler:
- the truth is not FSRS (power-law traces with activation-dependent decay), items' true difficulty is
  the author's level plus noise the app never sees, and learners differ in decay and ability;
- retention is judged by the truth at day 60 (true recall >= 0.9 of each lemma), never by the app's own
  predictions; the exam is simulated from the true abilities with its own item difficulties (not the
  app's readiness formula), and the app's predicted pass probability is scored against it (Brier);
- all arms meet the same learners with the same minutes; nothing is tuned on the bench's outcome.

Printed: words retained at day 60, per study minute, predicted vs simulated pass rate and Brier score.
`--json` prints {"arms": {"adaptive": {...}, "before": {...}, "sm2": {...}}} last.

Run: PYTHONPATH=. .venv/bin/python scripts/bench/learning.py [--learners 200] [--days 60] [--minutes 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from learning_api.accounts.service import get_profile
from learning_api.catalog.documents import Exercise
from learning_api.db.tables import User
from learning_api.kinds import TRUE_FALSE, StudyOrder
from learning_api.modelling.calibrating import calibrate_items
from learning_api.modelling.fitting import NotEnoughAnswers, fit_memory
from learning_api.modelling.params import ParamsCache
from learning_api.progress import readiness
from learning_api.storage import ObjectStore
from learning_api.study.answers import record_answers
from learning_api.study.bank import published_bank
from learning_api.study.published import Published
from learning_api.study.repository import read_abilities
from learning_api.study.schemas import AnswerIn
from learning_api.study.session import build_session
from models.ability import SKILLS
from models.learner_sim import TrueWorld
from scripts.bench.inline_sqlite import inline_threads
from scripts.bench.learning_truth import SECONDS_OVERHEAD, Learners, run_sm2, summary
from scripts.bench.starter import load_starter, opened

START = datetime(2026, 1, 5, 8, tzinfo=UTC)
# What a client asks for: a session of what fits the minutes left, at about this long per item (an answer
# takes 6-9 s plus the overhead), at most the API's largest session.
SECONDS_PER_ITEM = 12.0
MAX_SESSION = 100
JOB_DAYS = (20, 40)
SCRATCH = Path("/dev/shm")  # the arms' databases in memory where the system offers it (Linux)


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


async def _learner_ids(sessions, n: int, order: StudyOrder) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
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
    fetch again while minutes remain (a lapse comes back the same day)."""

    sessions: async_sessionmaker[AsyncSession]
    store: ObjectStore
    published: dict[str, Published]
    index: dict[str, int]
    world: TrueWorld
    rng: np.random.Generator
    cache: ParamsCache

    async def day(self, learner: uuid.UUID, k: int, day: int, budget: float) -> float:
        """Seconds studied by learner ``k`` on ``day``."""
        now = START + timedelta(days=day, hours=float(self.rng.uniform(0, 10)))
        used, theta = 0.0, self.world.theta(k, day)[0]
        while used < budget:
            size = min(MAX_SESSION, math.ceil((budget - used) / SECONDS_PER_ITEM))
            async with self.sessions() as session, session.begin():
                profile = await get_profile(session, learner)
                out = await build_session(
                    session, self.store, learner, profile, now, size, day * 1000 + k, timedelta(hours=1),
                    params=self.cache,
                )  # fmt: skip
                if not out.items:
                    break
                batch = []
                for item in out.items:
                    at = day + (now - START - timedelta(days=day)).total_seconds() / 86_400
                    j = self.index[item.item_id]
                    right = bool(self.rng.random() < self.world.answer(k, j, at, theta))
                    latency = float(self.rng.lognormal(np.log(6000 if right else 9000), 0.4))
                    batch.append(_answer(self.published[item.item_id], right, latency, now))
                    now += timedelta(milliseconds=latency + SECONDS_OVERHEAD * 1000)
                    used += latency / 1000 + SECONDS_OVERHEAD
                    if used >= budget:
                        break
                await record_answers(
                    session, self.store, learner, "en", list(enumerate(batch)), now, params=self.cache
                )
        return used


async def run_app(folder: Path, learners: Learners, days: int, minutes: float, arm: str) -> dict:
    """``adaptive``: the app now, with the batch jobs every 20 days; ``before``: the app as it was."""
    fitted = arm == "adaptive"
    world = learners.world()
    rng = np.random.default_rng(learners.seed + 1)
    studied = 0.0
    async with opened(folder) as (sessions, store):
        async with sessions() as session:
            published = (await published_bank(session, store)).studied
        order = StudyOrder.ADAPTIVE if fitted else StudyOrder.COURSE
        ids = await _learner_ids(sessions, len(world.alpha), order)
        # the served parameters change only when the jobs run, before a day's study: the cache asks the
        # database once a simulated day (a worker asks every 30 s of its clock)
        today = [0]
        cache = ParamsCache(refresh_seconds=1.0, enabled=fitted, monotonic=lambda: today[0])
        study = AppArm(sessions, store, published, {i: k for k, i in enumerate(published)}, world, rng, cache)
        for day in range(days):
            today[0] = day
            if fitted and day in JOB_DAYS:
                async with sessions() as session, session.begin():
                    with contextlib.suppress(NotEnoughAnswers):
                        await fit_memory(session, START + timedelta(days=day), progress=False)
                    await calibrate_items(session, START + timedelta(days=day), progress=False)
            for k, learner in enumerate(ids):
                studied += await study.day(learner, k, day, minutes * 60) / 60
        predicted = []
        async with sessions() as session:
            cuts = (await cache.current(session)).cuts  # as the learner's progress screen reads them
            for learner in ids:
                abilities = await read_abilities(session, learner)
                ready = readiness.assess(
                    abilities, readiness.growth_of(None), "A2", START + timedelta(days=days), cuts
                )
                predicted.append(ready.probability)
    return summary(world, days, studied, np.array(predicted), rng)


def run_arm(tmp: Path, base: Path, learners: Learners, days: int, minutes: float, arm: str) -> dict:
    """One arm in a process of its own (the arms share nothing: two cores run two at once)."""
    if arm == "sm2":
        return run_sm2(learners, np.arange(len(learners.args[1])), days, minutes)
    folder = tmp / arm
    shutil.copytree(base, folder)
    with inline_threads():  # the arm awaits one call at a time: no worker thread is needed
        return asyncio.run(run_app(folder, learners, days, minutes, arm))


def run_arms(tmp: Path, base: Path, learners: Learners, days: int, minutes: float, processes: int) -> dict:
    """The three arms, side by side in ``processes`` processes, or one after the other in this one (1)."""
    names = ("adaptive", "before", "sm2")  # the slowest first: the pool runs two at a time
    if processes <= 1:
        return {name: run_arm(tmp, base, learners, days, minutes, name) for name in names}
    # the same string hashing in every arm's process: set orders (ties the rules break by them) match
    os.environ["PYTHONHASHSEED"] = "0"
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        running = [pool.submit(run_arm, tmp, base, learners, days, minutes, name) for name in names]
        return {name: future.result() for name, future in zip(names, running, strict=True)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--minutes", type=float, default=10.0, help="study minutes per learner per day")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--processes", type=int, default=2, help="arms run side by side (1: in this one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=SCRATCH if SCRATCH.is_dir() else None) as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        load_starter(base)

        async def bank() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
            async with opened(base) as (sessions, store), sessions() as session:
                published = (await published_bank(session, store)).studied  # what sessions offer
            lemmas: dict[str, int] = {}
            items = [p.item for p in published.values()]
            return (
                [i.id for i in items],
                np.array([i.irt_b for i in items]),
                np.array([SKILLS.index(i.skill) for i in items]),
                np.array([lemmas.setdefault(i.lemmas[0], len(lemmas)) if i.lemmas else -1 for i in items]),
            )

        ids, b, skill, lemma = asyncio.run(bank())
        learners = Learners(args.learners, b, skill, lemma, args.seed)
        arms = run_arms(Path(tmp), base, learners, args.days, args.minutes, args.processes)
    print(
        f"{args.learners} learners, {args.days} days, {args.minutes:g} min/day, {len(ids)} items; "
        f"{time.perf_counter() - started:.0f} s"
    )
    header = ("arm", "retained", "minutes", "words/min", "pred pass", "sim pass", "Brier")
    print(f"{header[0]:<9} " + " ".join(f"{h:>9}" for h in header[1:]))
    for name, r in arms.items():
        print(
            f"{name:<9} {r['words_retained']:>9.1f} {r['study_minutes']:>9.0f} {r['words_per_minute']:>9.3f} "
            f"{r.get('predicted_pass_rate', float('nan')):>9.3f} {r['simulated_pass_rate']:>9.3f} "
            f"{r.get('readiness_brier', float('nan')):>9.3f}"
        )
    ratio = arms["adaptive"]["words_per_minute"] / max(arms["before"]["words_per_minute"], 1e-9)
    print(
        f"targets: adaptive/before words per minute >= 1.25: {ratio >= 1.25} ({ratio:.3f}); "
        f"readiness Brier <= 0.15: {arms['adaptive']['readiness_brier'] <= 0.15} "
        f"({arms['adaptive']['readiness_brier']:.3f})"
    )
    if args.json:
        print(json.dumps({"arms": arms}))


if __name__ == "__main__":
    main()
