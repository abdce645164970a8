"""The worker's token cache (`accounts.token_cache`): a request after this worker's own log-out, role or
profile change sees it at once; a change behind the worker's back shows within the cache's seconds and
not before; a kept row never outlives its token; a lookup under way during a write is not kept."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.accounts.token_cache import TokenCache
from learning_api.accounts.tokens import token_hash, user_for_token
from learning_api.app import create_app
from learning_api.db.tables import User
from learning_api.settings import Settings
from tests.conftest import ROOT_AUTH, sign_up


async def test_this_workers_log_out_and_role_change_show_at_once(client: AsyncTestClient) -> None:
    user = await sign_up(client)
    headers = {"Authorization": user["auth"]}
    assert (await client.get("/me", headers=headers)).json()["role"] == "learner"  # now kept
    admin = {"Authorization": ROOT_AUTH[id(client)]}
    granted = await client.put(f"/users/{user['id']}/role", json={"role": "teacher"}, headers=admin)
    assert granted.status_code == 200, granted.text
    assert (await client.get("/me", headers=headers)).json()["role"] == "teacher"
    changed = await client.patch("/me/profile", headers=headers, json={"region": "Tartumaa"})
    assert changed.status_code == 200, changed.text
    assert (await client.get("/me/profile", headers=headers)).json()["region"] == "Tartumaa"
    assert (await client.post("/auth/logout", headers=headers)).status_code in (200, 204)
    assert (await client.get("/me", headers=headers)).status_code == 401


@pytest.mark.parametrize("seconds", [1.0, 0])
async def test_a_change_behind_the_workers_back_shows_within_the_cache_seconds(
    settings: Settings, db: async_sessionmaker[AsyncSession], seconds: float
) -> None:
    """Another process ends the session (its token row deleted by plain SQL): a worker that keeps lookups
    for a second still lets the token in until the second is over; one that keeps none refuses at once."""
    app = create_app(dataclasses.replace(settings, auth_cache_seconds=seconds))
    async with AsyncTestClient(app=app) as client:
        user = await sign_up(client)
        headers = {"Authorization": user["auth"]}
        assert (await client.get("/me", headers=headers)).status_code == 200  # kept, if it keeps any
        async with db() as session, session.begin():
            await session.execute(
                text("DELETE FROM auth_tokens WHERE token_hash = :h"), {"h": token_hash(user["token"])}
            )
        if seconds:
            assert (await client.get("/me", headers=headers)).status_code == 200  # the kept row, for now
            await asyncio.sleep(seconds + 0.1)
        assert (await client.get("/me", headers=headers)).status_code == 401


async def test_a_kept_row_never_outlives_its_token(
    client: AsyncTestClient, db: async_sessionmaker[AsyncSession]
) -> None:
    user = await sign_up(client)
    cache = TokenCache(60)
    now = datetime.now(UTC)
    async with db() as session:
        assert await user_for_token(session, user["token"], now, cache) is not None
        assert cache.get(token_hash(user["token"])) is not None
        later = now + timedelta(days=400)  # past the token's expiry: looked up again, and refused
        assert await user_for_token(session, user["token"], later, cache) is None


async def test_a_lookup_under_way_during_a_write_is_not_kept(
    client: AsyncTestClient, db: async_sessionmaker[AsyncSession]
) -> None:
    user = await sign_up(client)
    cache = TokenCache(60)
    key = token_hash(user["token"])
    before = cache.generation
    cache.clear()  # what a write in this worker does while the lookup reads
    cache.put(key, ("a row read before the write",), before)
    assert cache.get(key) is None
    async with db() as session:  # a session of the app's kind: its write empties the app's cache
        await user_for_token(session, user["token"], datetime.now(UTC), cache)
        assert cache.get(key) is not None
        session.info["token_cache"] = cache
        await session.execute(update(User).where(User.id == uuid.UUID(user["id"])).values(role="author"))
        assert cache.get(key) is None  # emptied at the write, before the commit
        await user_for_token(session, user["token"], datetime.now(UTC), cache)
        await session.commit()
        assert cache.get(key) is None  # and again at the commit
