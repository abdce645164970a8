"""The async load client: simulated users each run one scenario in a loop for a bounded time and number
of requests; latencies are kept per step (a mixed day has several steps) and summarised as req/s and
p50/p95/p99."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp
import numpy as np

from scripts.load.history import token


@dataclass
class Stats:
    """What one step did: per-request latencies (s), failures, answers carried, wall time."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    answers: int = 0
    rejected: int = 0
    error_sample: str = ""

    def summary(self, seconds: float) -> dict[str, float | int | str]:
        lat = np.asarray(self.latencies) * 1000 if self.latencies else np.zeros(1)
        p50, p95, p99 = np.percentile(lat, [50, 95, 99])
        return {
            "requests": len(self.latencies),
            "rps": round(len(self.latencies) / seconds, 1),
            "answers_per_s": round(self.answers / seconds, 1),
            "p50_ms": round(float(p50), 1),
            "p95_ms": round(float(p95), 1),
            "p99_ms": round(float(p99), 1),
            "errors": self.errors,
            "rejected": self.rejected,
            "client": "python",
        }


def _readable(exercise: dict) -> str:
    """A response the item can grade (right or wrong): an option of a choice, "true" to a true-false
    question, one right per left of a match, else a word. An unreadable one would be refused, and a
    refusal is no measure of the answer path."""
    question = exercise.get("question") or {}
    if question.get("kind") == "true-false":
        return "true"
    if question.get("kind") == "match":
        return "\n".join(question["rights"][: len(question["lefts"])])
    options = question.get("options") or exercise.get("options")
    return options[0] if options else "maja"


class Answering:
    """What a learner answers: the items their last session offered, each with a readable response, a
    second apart from a day ago (a run's batches never reach the future, which is rejected). The load
    client's users and the in-process profiler (`profile_answers`) send the same answers."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []  # (item id, a readable response)
        self.clock = datetime.now(UTC) - timedelta(days=1)

    def answers(self, count: int) -> list[dict]:
        """``count`` answers to the learner's session items, a second apart, in answered order."""
        out = []
        for k in range(count):
            self.clock += timedelta(seconds=1)
            out.append(
                {
                    "id": str(uuid.uuid4()),
                    "item_id": self.items[k % len(self.items)][0],
                    "answered_at": self.clock.isoformat(),
                    "response": self.items[k % len(self.items)][1],
                    "self_grade": 3,
                    "latency_ms": 4200,
                }
            )
        return out


class User(Answering):
    """One learner's client: their token, and the items their last session offered."""

    def __init__(self, http: aiohttp.ClientSession, base: str, number: int, stats: dict[str, Stats]) -> None:
        super().__init__()
        self.http, self.base, self.stats = http, base, stats
        self.headers = {"Authorization": f"Bearer {token(number)}"}

    async def call(self, step: str, method: str, path: str, body: object = None) -> object:
        started = time.perf_counter()
        stats = self.stats[step]
        try:
            request = self.http.request(method, self.base + path, json=body, headers=self.headers)
            async with request as response:
                data = await response.json(content_type=None)
        except aiohttp.ClientError as exc:  # counted, never fatal: the run goes on
            stats.latencies.append(time.perf_counter() - started)
            stats.errors += 1
            stats.error_sample = stats.error_sample or f"{type(exc).__name__}: {exc}"
            return None
        stats.latencies.append(time.perf_counter() - started)
        if response.status != 200:
            stats.errors += 1
            stats.error_sample = stats.error_sample or f"{response.status} {str(data)[:300]}"
        elif isinstance(data, dict) and "rejected" in data:
            stats.answers += int(data["accepted"]) + int(data["rejected"]) + int(data["duplicates"])
            stats.rejected += int(data["rejected"])
            if data["rejected"] and not stats.error_sample:  # say why, once
                refused = next(r for r in data["results"] if r["status"] == "rejected")
                stats.error_sample = f"rejected: {refused.get('field')}: {refused.get('reason')}"
        return data

    async def session(self, step: str = "session", size: int = 20) -> None:
        data = await self.call(step, "GET", f"/study/session?size={size}")
        if isinstance(data, dict) and data.get("items"):
            self.items = [(item["item_id"], _readable(item["exercise"])) for item in data["items"]]

    async def answer(self, step: str, count: int) -> None:
        if not self.items:  # the warm-up session failed: say so, and fetch one for the next round
            self.stats[step].errors += 1
            self.stats[step].error_sample = self.stats[step].error_sample or "no session items to answer"
            await self.session("warm-up", size=100)
            return
        batch = self.answers(count)
        await self.call(step, "POST", "/study/answers", batch[0] if count == 1 else batch)

    async def day(self) -> None:
        """A real learner's day: open progress, fetch a session, answer it one by one, look again."""
        await self.call("day.progress", "GET", "/progress")
        await self.session("day.session")
        for _ in range(len(self.items)):
            await self.answer("day.answer", 1)
        await self.call("day.progress", "GET", "/progress")


SCENARIOS: dict[str, Callable[[User], Awaitable[None]]] = {
    "health": lambda u: u.call("health", "GET", "/health"),
    "session": lambda u: u.session(),
    "answer": lambda u: u.answer("answer", 1),
    "batch100": lambda u: u.answer("batch100", 100),
    "batch500": lambda u: u.answer("batch500", 500),
    "progress": lambda u: u.call("progress", "GET", "/progress"),
    "day": lambda u: u.day(),
}


async def run(
    base: str,
    scenario: str,
    learners: list[int],
    seconds: float,
    max_requests: int,
    warm: bool = True,
    sample: Callable[[], dict[str, dict[int, float]]] | None = None,
) -> tuple[dict[str, Stats], float, tuple[dict, dict] | None]:
    """Every learner in ``learners`` is one concurrent user running ``scenario`` until ``seconds`` pass
    or ``max_requests`` loops were started in all; returns the stats per step, the wall time, and
    ``sample()`` (the CPU counters of `scripts.load.cpu`) taken after the warm-up and at the end."""
    stats: dict[str, Stats] = defaultdict(Stats)
    # idle connections are dropped before the server's keep-alive timeout (uvicorn: 5 s) would close them
    # under a request in flight
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=3)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        users = [User(http, base, number, stats) for number in learners]
        if scenario != "health":
            await asyncio.gather(*(u.session("warm-up", size=100) for u in users))
        elif warm:
            await asyncio.gather(*(SCENARIOS[scenario](u) for u in users))
            stats.clear()
        budget = [max_requests]
        deadline = time.perf_counter() + seconds

        async def loop(user: User) -> None:
            while budget[0] > 0 and time.perf_counter() < deadline:
                budget[0] -= 1
                await SCENARIOS[scenario](user)

        before = sample() if sample else None
        started = time.perf_counter()
        await asyncio.gather(*(loop(u) for u in users))
        wall = time.perf_counter() - started
        cpu = None if before is None or sample is None else (before, sample())
        return dict(stats), wall, cpu
