"""The answer path's CPU cost and SQL statements per request, in-process (no server, no client stack).

    python -m scripts.load.profile_answers \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/keelerada_load --store var/load/objects \
        [--singles 300] [--batches 6] [--profile single|batch] [--top 30]

Seed first (`python -m scripts.load.seed`, same URL and store). The app is called through ASGI directly,
so the time measured is the worker's own (`time.process_time`: CPU, not wall clock, which other jobs on
a shared machine move): one-answer requests and 500-answer batches, as the load client sends them, after
a warm-up. The statements are counted on the engine. ``--profile`` runs that step again under cProfile.
On a shared machine compare two versions of the code in one run of this, not across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import inspect
import json
import pstats
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from learning_api.app import create_app
from learning_api.settings import Settings
from scripts.load.client import Answering, _readable
from scripts.load.history import token


class _Learner(Answering):
    """A load-client learner's answers, with the raw ASGI headers of its token."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.headers = [
            (b"authorization", f"Bearer {token(number)}".encode()),
            (b"content-type", b"application/json"),
        ]


async def _call(app: Any, method: str, path: str, headers: list, body: bytes = b"") -> tuple[int, bytes]:
    """One request through the app's ASGI callable, nothing around it."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"test"), (b"content-length", str(len(body)).encode()), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def _post(app: Any, learner: _Learner, payload: Any) -> dict[str, Any]:
    status, body = await _call(app, "POST", "/study/answers", learner.headers, json.dumps(payload).encode())
    data = json.loads(body)
    if status != 200 or data.get("rejected"):
        raise SystemExit(f"answers: {status} {body[:300]!r}")
    return data


# (module, function) pairs timed one by one with --breakdown: where a request's CPU goes, by step
STEPS = [
    ("learning_api.accounts.auth", "user_for_token"),
    ("learning_api.study.answers", "published_bank"),
    ("learning_api.study.answers", "_grade_all"),
    ("learning_api.study.answers", "lock_abilities"),
    ("learning_api.study.answers", "lock_ability_rows"),
    ("learning_api.study.answers", "insert_new_answers"),
    ("learning_api.study.answers", "logged_answers"),
    ("learning_api.study.scheduling", "answer_memory"),
    ("learning_api.study.scheduling", "live_params"),
    ("learning_api.study.answers", "save_states"),
    ("learning_api.study.answers", "snapshot_abilities"),
    ("learning_api.study.answers", "count_answers"),
    ("learning_api.study.answers", "upsert_all"),
    ("learning_api.study.controller", "record_answers"),
]


def _breakdown() -> dict[str, float]:
    """Wrap each of `STEPS` to add up its CPU time; requests run one at a time, so no other request's
    work falls inside a step's await."""
    spent: dict[str, float] = {}
    for module_name, name in STEPS:
        module = importlib.import_module(module_name)
        original = getattr(module, name, None)
        if original is None:  # a step of another version of the code
            continue
        spent[name] = 0.0

        def wrapped(*a: Any, __original: Any = original, __name: str = name, **k: Any) -> Any:
            async def timed() -> Any:
                started = time.process_time()
                try:
                    return await __original(*a, **k)
                finally:
                    spent[__name] += time.process_time() - started

            if inspect.iscoroutinefunction(__original):
                return timed()
            started = time.process_time()
            try:
                return __original(*a, **k)
            finally:
                spent[__name] += time.process_time() - started

        setattr(module, name, wrapped)
    return spent


async def main(args: argparse.Namespace) -> None:
    settings = Settings(
        database_url=args.database_url,
        object_store_url=f"file://{Path(args.store).resolve()}",
        token_secret="load-harness",
    )
    spent = _breakdown() if args.breakdown else {}
    app = create_app(settings)
    manifest = json.loads(Path(args.manifest).read_text())
    numbers = [entry["number"] for entry in manifest["learners"] if 50 <= entry["states"] <= 1000][:16]
    async with app.lifespan():
        statements = 0
        show = False

        @event.listens_for(app.state.engine.sync_engine, "before_cursor_execute")
        def _count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            nonlocal statements, show
            statements += 1
            if show:
                print("   ", " ".join(sql.split())[:200])

        learners = [_Learner(n) for n in numbers]
        for learner in learners:
            status, body = await _call(app, "GET", "/study/session?size=20", learner.headers)
            exercises = json.loads(body)["items"] if status == 200 else []
            learner.items = [(e["item_id"], _readable(e["exercise"])) for e in exercises]
        learners = [learner for learner in learners if learner.items]
        for learner in learners:  # warm-up: grades cached, statements prepared, as in a warm worker
            await _post(app, learner, learner.answers(1)[0])
            await _post(app, learner, learner.answers(500))

        async def singles(count: int) -> None:
            async def one_user(user: int) -> None:  # --concurrency users at once, each its own learner
                for k in range(user, count, args.concurrency):
                    learner = learners[k % len(learners)]
                    await _post(app, learner, learner.answers(1)[0])

            await asyncio.gather(*(one_user(user) for user in range(args.concurrency)))

        async def batches(count: int) -> None:
            for k in range(count):
                learner = learners[k % len(learners)]
                await _post(app, learner, learner.answers(500))

        if args.show_statements:
            show = True
            print("one answer:")
            await singles(1)
            print("a batch of 500:")
            await batches(1)
            show = False
        for name, step, count, per in (
            ("single", singles, args.singles, 1),
            ("batch500", batches, args.batches, 500),
        ):
            cpus, walls = [], []
            for _ in range(args.rounds):  # the least of a few rounds: other jobs on the machine only add
                statements = 0
                spent.update(dict.fromkeys(spent, 0.0))
                started, wall = time.process_time(), time.perf_counter()
                await step(count)
                cpus.append(time.process_time() - started)
                walls.append(time.perf_counter() - wall)
            cpu = min(cpus)
            print(
                f"{name}: {count} requests x {args.rounds}, CPU {1000 * cpu / count:.2f} ms/request "
                f"(median {1000 * sorted(cpus)[len(cpus) // 2] / count:.2f}), "
                f"wall {1000 * min(walls) / count:.2f} ms/request (the database's time too), "
                f"{1000 * cpu / (count * per):.3f} ms/answer, {statements / count:.1f} statements/request"
            )
            for step_name, seconds in spent.items():
                print(f"    {step_name:24} {1000 * seconds / count:7.2f} ms/request")
            if args.calls:  # a count no other job on the machine moves
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                await step(count)
                profiler.disable()
                calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
                print(f"    {calls / count:.0f} Python function calls/request")
            if args.profile == name:
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                await step(count)
                profiler.disable()
                stats = pstats.Stats(profiler).sort_stats(args.sort)
                stats.print_stats(args.filter, args.top)
                if args.callers:
                    stats.print_callers(args.callers)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--manifest", default="var/load/manifest.json")
    parser.add_argument("--singles", type=int, default=300)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--profile", choices=["single", "batch500"])
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=1, help="one-answer users at once")
    parser.add_argument("--calls", action="store_true", help="count Python function calls per request")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (the least is printed)")
    parser.add_argument("--callers", help="print the callers of the functions matching this")
    parser.add_argument("--breakdown", action="store_true", help="CPU per step of the answer path")
    parser.add_argument("--filter", default="", help="only functions whose path matches (a regex)")
    parser.add_argument("--show-statements", action="store_true", help="print the SQL of one of each")
    asyncio.run(main(parser.parse_args()))
