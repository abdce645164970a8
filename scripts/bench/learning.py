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

Printed: words retained at day 60, per study minute, predicted vs simulated pass rate and Brier score,
then the CPU seconds of each arm's tasks (study, jobs) and of all processes, the wall time, and the
share of the pool's time its processes ran tasks. `--json` prints
{"arms": {"adaptive": {...}, "before": {...}, "sm2": {...}}} last.

The arms' learners study in shards spread over `--processes` (`learning_plan`); each learner-day draws
from its own random stream, so the numbers do not depend on the shards or the processes (the pool's
processes hash strings with PYTHONHASHSEED=0: run `--processes 1` with it set to get the same numbers).

Run: PYTHONPATH=. .venv/bin/python scripts/bench/learning.py [--learners 200] [--days 60] [--minutes 10]
     [--processes 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from learning_api.kinds import StudyOrder
from learning_api.modelling.calibrating import calibrate_items
from learning_api.modelling.fitting import NotEnoughAnswers, fit_memory
from learning_api.modelling.params import ParamsCache
from learning_api.progress import readiness
from learning_api.study.bank import published_bank
from learning_api.study.repository import read_abilities
from models.ability import SKILLS
from scripts.bench.inline_sqlite import inline_threads
from scripts.bench.learning_app import START, AppArm, learner_ids, profiles_of
from scripts.bench.learning_plan import Plan, copies, merge, run_plans, spread
from scripts.bench.learning_truth import Learners, keep, run_sm2, summary
from scripts.bench.starter import load_starter, opened

JOB_DAYS = (20, 40)
SCRATCH = Path("/dev/shm")  # the arms' databases in memory where the system offers it (Linux)
# learners of an app arm studying side by side (`learning_plan`): adaptive's shards meet at every job
# day, so two keep both cores on its chain; before's smaller ones fill the gaps around its jobs
SHARDS = {"adaptive": 2, "before": 8}
T = TypeVar("T")


def truth_of(folder: Path) -> Path:
    """Where the memory traces of a shard's learners wait for its next phase (beside its folder, which
    the jobs replace)."""
    return folder.with_name(f"{folder.name}-truth.npz")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    with inline_threads():  # the simulation awaits one call at a time: no worker thread is needed
        return asyncio.run(coroutine)


def prepare(folder: Path, base: Path, n: int, arm: str) -> list[uuid.UUID]:
    """The arm's folder: the starter course and its ``n`` learners (ids in learner order)."""
    shutil.copytree(base, folder)

    async def create() -> list[uuid.UUID]:
        async with opened(folder) as (sessions, _):
            order = StudyOrder.ADAPTIVE if arm == "adaptive" else StudyOrder.COURSE
            return await learner_ids(sessions, n, order)

    return _run(create())


@dataclass(frozen=True)
class Phase:
    """Some days of a shard's learners (by number) on the database in ``folder``; on the ``last`` days of
    the run also each one's predicted pass probability (as their progress screen reads it)."""

    folder: Path
    learners: Learners
    ids: dict[int, uuid.UUID]
    days: range
    minutes: float
    arm: str
    last: bool


def study(phase: Phase) -> tuple[float, dict[int, float]]:
    """Minutes studied in the phase and the predicted pass probabilities (on its last days)."""
    return _run(_study(phase))


async def _study(phase: Phase) -> tuple[float, dict[int, float]]:
    folder, learners, ids, days, minutes, arm = (
        phase.folder, phase.learners, phase.ids, phase.days, phase.minutes, phase.arm
    )  # fmt: skip
    fitted = arm == "adaptive"
    async with opened(folder) as (sessions, store):
        async with sessions() as session:
            published = (await published_bank(session, store)).studied
        # the served parameters change only when the jobs run, before a day's study: the cache asks the
        # database once a simulated day (a worker asks every 30 s of its clock)
        today = [days.start]
        cache = ParamsCache(refresh_seconds=1.0, enabled=fitted, monotonic=lambda: today[0])
        index = {i: k for k, i in enumerate(published)}
        world = learners.resumed([truth_of(folder)])
        profiles = await profiles_of(sessions, list(ids.values()))
        arm_of = AppArm(sessions, store, published, index, world, learners.seed + 1, cache, profiles)
        studied = 0.0
        for day in days:
            today[0] = day
            for k, learner in ids.items():
                studied += await arm_of.day(learner, k, day, minutes * 60) / 60
        keep(world, list(ids), truth_of(folder))
        predicted = {}
        if phase.last:
            async with sessions() as session:
                cuts = (await cache.current(session)).cuts
                for k, learner in ids.items():
                    abilities = await read_abilities(session, learner)
                    ready = readiness.assess(
                        abilities, readiness.growth_of(None), "A2", START + timedelta(days=days.stop), cuts
                    )
                    predicted[k] = ready.probability
    return studied, predicted


def jobs(folder: Path, shards: list[tuple[Path, list[uuid.UUID]]], day: int) -> None:
    """The batch jobs on the shards' merged database, which every shard continues from."""
    merge(folder, shards)

    async def run() -> None:
        async with opened(folder) as (sessions, _), sessions() as session, session.begin():
            with contextlib.suppress(NotEnoughAnswers):
                await fit_memory(session, START + timedelta(days=day), progress=False)
            await calibrate_items(session, START + timedelta(days=day), progress=False)

    _run(run())
    spread(folder, [path for path, _ in shards])


def app_plan(tmp: Path, base: Path, learners: Learners, days: int, minutes: float, arm: str) -> Plan:
    """``adaptive``: the app now, with the batch jobs every 20 days; ``before``: the app as it was. The
    learners in shards (see `learning_plan`); adaptive's meet at each job day."""
    n = learners.args[0]
    folder = tmp / arm
    ids = prepare(folder, base, n, arm)
    shards = [list(range(n))[s :: SHARDS[arm]] for s in range(SHARDS[arm])]
    shards = [s for s in shards if s]
    folders = copies(folder, len(shards), arm)
    bounds = [0, *(d for d in JOB_DAYS if 0 < d < days and arm == "adaptive"), days]
    studied, predicted = 0.0, np.zeros(n)
    merged = [(f, [ids[k] for k in s]) for f, s in zip(folders, shards, strict=True)]
    for start, stop in itertools.pairwise(bounds):
        if start:
            yield [(jobs, (folder, merged, start))]
        phase = range(start, stop)
        done = yield [
            (study, (Phase(f, learners, {k: ids[k] for k in s}, phase, minutes, arm, stop == days),))
            for f, s in zip(folders, shards, strict=True)
        ]
        for minutes_studied, ready in done:
            studied += minutes_studied
            for k, p in ready.items():
                predicted[k] = p
    world = learners.resumed([truth_of(f) for f in folders])
    return summary(world, days, studied, predicted, learners.exam_rng())


def sm2_plan(learners: Learners, days: int, minutes: float) -> Plan:
    """Course order with SM-2, simulated beside the app (one task)."""
    (result,) = yield [(run_sm2, (learners, np.arange(len(learners.args[1])), days, minutes))]
    return result


def run_arms(
    tmp: Path, base: Path, learners: Learners, days: int, minutes: float, processes: int
) -> tuple[dict[str, dict], dict[str, float], float]:
    """The three arms in ``processes`` processes (1: in this one), adaptive's tasks first (the longest
    chain: its jobs wait for all its learners), sm2 and before's shards filling the gaps."""
    plans = {
        "adaptive": app_plan(tmp, base, learners, days, minutes, "adaptive"),
        "sm2": sm2_plan(learners, days, minutes),
        "before": app_plan(tmp, base, learners, days, minutes, "before"),
    }
    arms, cpu, busy = run_plans(plans, processes)
    return {name: arms[name] for name in ("adaptive", "before", "sm2")}, cpu, busy


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--minutes", type=float, default=10.0, help="study minutes per learner per day")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--processes", type=int, default=2, help="processes side by side (1: in this one)")
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
        arms, cpu, busy = run_arms(Path(tmp), base, learners, args.days, args.minutes, args.processes)
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
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    print(
        "cpu: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in cpu.items())
        + f"; all processes {sum(u.ru_utime + u.ru_stime for u in used):.0f} s"
        + f" in {time.perf_counter() - started:.0f} s wall; tasks ran {busy:.0%} of the pool's time"
    )
    if args.json:
        print(json.dumps({"arms": arms}))


if __name__ == "__main__":
    main()
