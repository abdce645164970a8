"""Versioned model parameters: the promotion rule, the admin route, and the per-worker cache that picks
up a newly promoted version after its refresh interval (and not before)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import numpy as np
from litestar.testing import AsyncTestClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.db.tables import LearnerModelParams, ModelKind, ModelParams, User, VersionStatus
from learning_api.modelling import service
from learning_api.modelling.params import ParamsCache
from models.memory import FSRS6_DEFAULT_WEIGHTS
from tests.conftest import ROOT_AUTH, sign_up

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


async def _reset(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session, session.begin():
        await session.execute(delete(ModelParams))


async def test_cache_serves_defaults_then_picks_up_a_promoted_version_after_refresh(
    db: async_sessionmaker[AsyncSession],
) -> None:
    await _reset(db)
    clock = [0.0]
    cache = ParamsCache(refresh_seconds=30.0, monotonic=lambda: clock[0])
    async with db() as session:
        first = await cache.current(session)
    assert first.memory_version is None and np.allclose(first.weights, FSRS6_DEFAULT_WEIGHTS)
    assert first.item_ab("x-1", 1.0, -2.89) == (1.0, -2.89)

    weights = (FSRS6_DEFAULT_WEIGHTS * 1.1).tolist()
    async with db() as session, session.begin():
        await service.add_version(
            session, ModelKind.MEMORY, {"weights": weights}, {"log_loss": 0.4}, {}, 10, promote=True, now=NOW
        )
        items = {"items": {"x-1": [1.3, -1.0]}, "cuts": [-2, -1, 0, 1]}
        await service.add_version(session, ModelKind.ITEMS, items, {}, {}, 10, promote=True, now=NOW)
    async with db() as session:
        clock[0] = 29.0
        assert (await cache.current(session)).memory_version is None  # within the interval: no DB read
        clock[0] = 31.0
        fresh = await cache.current(session)
    assert fresh.memory_version == 1 and fresh.items_version == 1
    assert np.allclose(fresh.weights, weights)
    assert fresh.item_ab("x-1", 1.0, -2.89) == (1.3, -1.0)
    assert fresh.item_ab("x-2", 1.0, -2.89) == (1.0, -2.89)
    assert fresh.cuts == (-2.0, -1.0, 0.0, 1.0)

    off = ParamsCache(enabled=False)
    async with db() as session:
        assert (await off.current(session)).memory_version is None
        assert np.allclose(await off.learner_weights(session, uuid.uuid4()), FSRS6_DEFAULT_WEIGHTS)


async def test_a_learners_own_weights_are_read_once_per_served_version(
    db: async_sessionmaker[AsyncSession],
) -> None:
    """A session and its answers ask for the learner's weights: the worker reads the row once and keeps it
    until the served versions change, which is when a fit writes own weights (so a row changed without a
    new version, which no job does, is not seen before then)."""
    await _reset(db)
    clock = [0.0]
    cache = ParamsCache(refresh_seconds=30.0, monotonic=lambda: clock[0])
    learner, other = uuid.uuid4(), uuid.uuid4()
    first, second = [0.5] * 21, [0.7] * 21
    async with db() as session, session.begin():
        for user in (learner, other):
            session.add(User(id=user, email=f"{user}@weights.invalid", password_hash="!", role="learner"))
        await session.flush()
        session.add(LearnerModelParams(learner_id=learner, model="memory", version=1, weights=first))
    async with db() as session:
        params = await cache.current(session)
        assert np.allclose(await cache.learner_weights(session, learner, params), first)
        assert await cache.learner_weights(session, other, params) is params.weights  # none of their own
    async with db() as session, session.begin():
        row = await session.get(LearnerModelParams, (learner, "memory"))
        row.weights = second
    async with db() as session:
        assert np.allclose(await cache.learner_weights(session, learner), first)  # kept
        async with session.begin():
            await service.add_version(
                session, ModelKind.MEMORY, {"weights": [0.6] * 21}, {}, {}, 5, promote=True, now=NOW
            )
        clock[0] = 31.0  # the refresh sees the new version: the kept weights are read again
        assert np.allclose(await cache.learner_weights(session, learner), second)
    async with db() as session, session.begin():
        await session.execute(delete(User).where(User.id.in_([learner, other])))


async def test_a_rejected_candidate_keeps_the_current_version(db: async_sessionmaker[AsyncSession]) -> None:
    await _reset(db)
    async with db() as session, session.begin():
        one, two, three = [
            await service.add_version(session, ModelKind.MEMORY, {"weights": [w] * 21}, {}, {}, 5, keep, NOW)
            for w, keep in ((0.1, True), (0.2, False), (0.3, True))
        ]
    async with db() as session:
        statuses = {v: (await session.get(ModelParams, ("memory", v))).status for v in (1, 2, 3)}
    assert (one.version, two.version, three.version) == (1, 2, 3)
    assert statuses == {1: VersionStatus.RETIRED, 2: VersionStatus.REJECTED, 3: VersionStatus.CURRENT}


async def test_admin_route_lists_versions_and_refuses_learners(
    client: AsyncTestClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _reset(db)
    async with db() as session, session.begin():
        await service.add_version(
            session,
            ModelKind.MEMORY,
            {"weights": [0.1] * 21},
            {"log_loss": 0.41, "auc": 0.7},
            {},
            5,
            True,
            NOW,
        )
    learner = await sign_up(client)
    assert (await client.get("/admin/models", headers={"Authorization": learner["auth"]})).status_code == 403
    r = await client.get("/admin/models", headers={"Authorization": ROOT_AUTH[id(client)]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["current"] == {"memory": 1}
    assert body["versions"][0]["scores"] == {"log_loss": 0.41, "auc": 0.7}
    bad = await client.get("/admin/models?limit=0", headers={"Authorization": ROOT_AUTH[id(client)]})
    assert bad.status_code == 400 and "limit" in bad.text
