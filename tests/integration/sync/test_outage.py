"""The database goes away under a real server: every route answers 503 with Retry-After and a problem
body (never 500), and once it is back a client that retries stores every answer exactly once, also
through a network that loses requests and responses and a database cut again and again mid-stream."""

from __future__ import annotations

import asyncio
import random
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from learning_api.db.tables import Ability, Answer, ReviewState
from tests.conftest import sign_up
from tests.integration.sync.client import FlakyNetwork, sync
from tests.integration.sync.conftest import World

PATH_PARAM = re.compile(r"\{(\w+):(\w+)\}")
# Routes that need no database: they keep answering while it is down.
WITHOUT_DATABASE = {("GET", "/health"), ("GET", "/media/{key:path}")}


def _answers(world: World, n: int, start: datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": str(uuid.uuid4()),
            "item_id": (e := world.exercises[k % len(world.exercises)]).id,
            "answered_at": (start + timedelta(minutes=k)).isoformat(),
            "response": e.answers[0],
        }
        for k in range(n)
    ]


async def _stored_once(world: World, learner_id: str, sent: list[dict[str, Any]]) -> None:
    """Every answer sent is in the log once and moved the memory state once; ability moved once per item
    first answered (a later answer to the same item is memory evidence, not ability evidence)."""
    learner = uuid.UUID(learner_id)
    async with world.db() as session:
        ids = list(await session.scalars(select(Answer.id).where(Answer.learner_id == learner)))
        reps = await session.scalar(
            select(func.sum(ReviewState.reps)).where(ReviewState.learner_id == learner)
        )
        counted = await session.scalar(
            select(func.sum(Ability.n_answers)).where(Ability.learner_id == learner)
        )
    assert sorted(ids) == sorted(uuid.UUID(a["id"]) for a in sent)
    assert reps == len(sent)
    assert counted == len({a["item_id"] for a in sent})


def _routes(world: World) -> list[tuple[str, str, bool]]:
    """(method, path, public) of every route; a public one needs no token."""
    assert world.outage.app is not None
    return [
        (method, route.path, bool(handler.opt.get("exclude_from_auth")))
        for route in world.outage.app.routes
        for handler in getattr(route, "route_handlers", ())
        for method in sorted(getattr(handler, "http_methods", ()))
        if method not in {"HEAD", "OPTIONS"} and not route.path.startswith("/schema")
    ]


def _fill(path: str) -> str:
    return PATH_PARAM.sub(
        lambda m: str(uuid.uuid4()) if m.group(2) == "uuid" else "1" if m.group(2) == "int" else "x", path
    )


async def test_database_down_is_503_everywhere_then_every_answer_is_stored_once(world: World) -> None:
    learner = await sign_up(world.http)
    auth = {"Authorization": learner["auth"]}
    start = datetime.now(UTC) - timedelta(hours=3)
    first, second = _answers(world, 6, start), _answers(world, 6, start + timedelta(hours=1))
    assert (await world.http.post("/study/answers", json=first, headers=auth)).status_code == 200

    await world.outage.cut()
    try:
        routes = _routes(world)
        assert len(routes) >= 20
        for method, path, public in routes:
            body = {} if method in {"POST", "PUT", "PATCH"} else None
            r = await world.http.request(method, _fill(path), json=body, headers=auth)
            what = f"{method} {path} with the database down: {r.status_code} {r.text[:200]}"
            if (method, path) in WITHOUT_DATABASE:
                assert r.status_code < 500, what
                continue
            if (method, path) == ("GET", "/ready"):  # the probe's own body names what is down
                assert r.status_code == 503 and r.json()["database"].startswith("down"), what
                continue
            if (
                public and r.status_code < 500
            ):  # no token to look up: bad input, or a log-in page, comes first
                continue
            assert r.status_code == 503, what
            assert int(r.headers["retry-after"]) > 0, what
            assert r.headers["content-type"].startswith("application/problem+json"), what
            assert r.json()["status"] == 503 and r.json()["detail"], what
        r = await world.http.post("/study/answers", json=second, headers=auth)
        assert r.status_code == 503
        login = {"email": learner["email"], "password": learner["password"]}
        assert (await world.http.post("/auth/login", json=login)).status_code == 503
    finally:
        await world.outage.restore()

    again = await world.http.post("/study/answers", json=second, headers=auth)
    assert again.status_code == 200 and again.json()["accepted"] == len(second), again.text
    replay = await world.http.post("/study/answers", json=first, headers=auth)
    assert replay.json()["duplicates"] == len(first)
    await _stored_once(world, learner["id"], first + second)


async def _chaos(world: World, rng: random.Random, stop: asyncio.Event) -> int:
    """Cut the database and bring it back at random moments until told to stop; how many cuts."""
    cuts = 0
    while not stop.is_set():
        await asyncio.sleep(rng.uniform(0.02, 0.25))
        await world.outage.cut()
        cuts += 1
        await asyncio.sleep(rng.uniform(0.02, 0.2))
        await world.outage.restore()
    return cuts


async def _settled(world: World) -> None:
    """Back to normal for the next test: connections the cuts left in the app's pool fail once each (a 503
    that a client following the protocol retries); /ready draws them out until it answers 200 for a while."""
    healthy = 0
    for _ in range(200):
        healthy = healthy + 1 if (await world.http.get("/ready")).status_code == 200 else 0
        if healthy == 20:
            return
    raise AssertionError("the app did not recover after the database came back")


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_a_retrying_client_stores_every_answer_once_through_faults(world: World, seed: int) -> None:
    rng = random.Random(seed)
    learner = await sign_up(world.http)
    sent = _answers(world, 60, datetime.now(UTC) - timedelta(hours=2))
    transport = FlakyNetwork(rng)
    stop = asyncio.Event()
    chaos = asyncio.create_task(_chaos(world, rng, stop))
    try:
        async with httpx.AsyncClient(base_url=world.http.base_url, transport=transport, timeout=60) as flaky:
            stats = await sync(flaky, learner["auth"], sent, batch_size=7)
    finally:
        stop.set()
        cuts = await chaos
        await _settled(world)
    # The faults really happened: lost requests or responses, and answers refused while the DB was away.
    assert stats.lost > 0 and cuts > 0, (stats, cuts)
    await _stored_once(world, learner["id"], sent)
