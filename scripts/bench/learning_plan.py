"""How the learning bench spreads its arms over the machine's cores: each arm is a plan of tasks, and
shards of one arm's learners study side by side on copies of the arm's database.

One process per arm left the run as long as its slowest arm (adaptive, with its batch jobs) while the
other core idled after the cheaper ones. A learner meets the other learners of an arm only through the
batch jobs (which read everyone's answers) and the parameters they serve, so an arm's learners are split
into shards, each studying on its own copy of the database, and before a job the shards' rows are merged
into one database (`merge`), which the jobs run on and every shard then continues from. Each learner
draws from a stream of their own (see `learning.AppArm`), so the results do not depend on the shards or
on the number of processes.

`run_plans` runs the tasks in a process pool: an arm's plan yields a batch of tasks that may run side by
side, gets their results back, and yields the next batch (adaptive: a phase's shards, then the jobs,
then the next phase). Free processes take the earliest arm's ready tasks first, so the adaptive arm's
chain is never kept waiting by the others, whose tasks fill the gaps (while the jobs run in one process).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import multiprocessing
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from scripts.bench.starter import database

Task = tuple[Callable[..., Any], tuple[Any, ...]]
Plan = Generator[list[Task], list[Any], dict]
# where a learner's rows are: every table with a learner_id column, and the profile
_LEARNER_COLUMNS = ("learner_id", "user_id")


def copies(folder: Path, count: int, name: str) -> list[Path]:
    """``count`` copies of an arm's folder (database and object store) beside it, for its shards."""
    out = [folder.with_name(f"{name}-{s}") for s in range(count)]
    for copy in out:
        shutil.copytree(folder, copy)
    return out


def spread(folder: Path, targets: Sequence[Path]) -> None:
    """Every target folder becomes a copy of ``folder``."""
    for target in targets:
        shutil.rmtree(target)
        shutil.copytree(folder, target)


def merge(into: Path, shards: Sequence[tuple[Path, Sequence[uuid.UUID]]]) -> None:
    """Build ``into`` (a folder) from the shard folders: the first shard's copy, then every other shard's
    own learners' rows in place of the ones it holds (all shards started from the same database, and a
    learner's study writes only rows of that learner)."""
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(shards[0][0], into)
    with contextlib.closing(sqlite3.connect(database(into), isolation_level=None)) as db:
        tables = [
            (table, column)
            for (table,) in db.execute("select name from sqlite_master where type = 'table'")
            for (_, column, *_) in db.execute(f'pragma table_info("{table}")')
            if column in _LEARNER_COLUMNS
        ]
        for folder, learners in shards[1:]:
            db.execute("attach database ? as shard", (str(database(folder)),))
            db.execute("begin")
            db.execute("create temp table mine (id text primary key)")
            db.executemany("insert into mine values (?)", [(learner.hex,) for learner in learners])
            for table, column in tables:
                db.execute(f'delete from main."{table}" where {column} in (select id from mine)')
                db.execute(
                    f'insert into main."{table}" select * from shard."{table}" '
                    f"where {column} in (select id from mine)"
                )
            db.execute("drop table mine")
            db.execute("commit")
            db.execute("detach database shard")


def _timed(function: Callable[..., Any], *args: Any) -> tuple[Any, float, float]:
    """A task's result, the CPU seconds its process spent on it and the wall seconds it took."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = function(*args)
    return result, time.process_time() - cpu, time.perf_counter() - wall


class _InThisProcess(Executor):
    """Tasks run as they are submitted (``--processes 1``: for profiling)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def run_plans(plans: dict[str, Plan], processes: int) -> tuple[dict[str, dict], dict[str, float], float]:
    """Each plan's result, the CPU seconds of its tasks by task ("adaptive jobs"), and the share of the
    processes' time they were running a task (what is left is waiting on the plans' order); earlier
    plans' tasks go first."""
    results: dict[str, dict] = {}
    cpu: dict[str, float] = {}
    busy, started = 0.0, time.perf_counter()
    slots: dict[str, list[Any]] = {}
    left: dict[str, int] = {}
    ready: list[tuple[int, int, str, int, Task]] = []
    order, numbers = {name: rank for rank, name in enumerate(plans)}, itertools.count()

    def advance(name: str, sent: list[Any] | None) -> None:
        try:
            batch = plans[name].send(sent)  # type: ignore[arg-type]
        except StopIteration as stop:
            results[name] = stop.value
            return
        slots[name], left[name] = [None] * len(batch), len(batch)
        for slot, task in enumerate(batch):
            heapq.heappush(ready, (order[name], next(numbers), name, slot, task))

    if processes > 1:
        # one BLAS thread a process: the processes are the parallelism (more threads only spin)
        os.environ |= {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        # the same string hashing in every process: set orders (ties the rules break by them) match
        os.environ["PYTHONHASHSEED"] = "0"
        pool: Executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
    else:
        pool = _InThisProcess()
    with pool:
        for name in plans:
            advance(name, None)
        running: dict[Future, tuple[str, int, str]] = {}
        while ready or running:
            while ready and len(running) < processes:
                _, _, name, slot, (function, args) = heapq.heappop(ready)
                running[pool.submit(_timed, function, *args)] = (name, slot, function.__name__)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                name, slot, task = running.pop(future)
                slots[name][slot], seconds, wall = future.result()
                cpu[f"{name} {task}"] = cpu.get(f"{name} {task}", 0.0) + seconds
                busy += wall
                left[name] -= 1
                if not left[name]:
                    advance(name, slots[name])
    return results, cpu, busy / max(processes * (time.perf_counter() - started), 1e-9)
