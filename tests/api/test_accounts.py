"""Accounts through the HTTP stack: sign-up, log-in, tokens, roles, profile, rate limiting."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import sign_up, unique_email


async def test_register_normalises_email_and_refuses_duplicates(client: AsyncTestClient) -> None:
    email = unique_email("Mari.Tamm").replace("mari", "MARI")
    r = await client.post(
        "/auth/register", json={"email": f"  {email.upper()} ", "password": "kuu-valgel-123"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["email"] == email.lower()
    assert r.json()["role"] == "learner"
    again = await client.post("/auth/register", json={"email": email.lower(), "password": "teine-parool-1"})
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["errors"][0]["field"] == "email"


async def test_login_gives_a_token_that_opens_me_and_logout_revokes_it(client: AsyncTestClient) -> None:
    user = await sign_up(client)
    headers = {"Authorization": user["auth"]}
    me = await client.get("/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["email"] == user["email"]
    assert "password" not in me.text and "hash" not in me.text
    assert (await client.post("/auth/logout", headers=headers)).status_code == 204
    assert (await client.get("/me", headers=headers)).status_code == 401


async def test_password_is_stored_as_argon2_hash(client: AsyncTestClient, db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from learning_api.db.tables import User

    user = await sign_up(client)
    async with db() as session:
        stored = await session.scalar(select(User.password_hash).where(User.email == user["email"]))
    assert stored.startswith("$argon2id$")
    assert user["password"] not in stored


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nonsense-token", "Basic dXNlcjpwYXNz", "Token abc"])
async def test_bad_or_missing_tokens_get_401_problem(client: AsyncTestClient, header: str) -> None:
    r = await client.get("/me", headers={"Authorization": header} if header else {})
    assert r.status_code == 401
    body = r.json()
    assert body["status"] == 401 and body["title"] and body["detail"]


async def test_wrong_password_is_rate_limited_per_account(client: AsyncTestClient) -> None:
    user = await sign_up(client)
    limit = client.app.state.settings.login_failures_per_account
    for _ in range(limit):
        r = await client.post("/auth/login", json={"email": user["email"], "password": "vale-parool"})
        assert r.status_code == 401
    blocked = await client.post("/auth/login", json={"email": user["email"], "password": user["password"]})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    # other accounts from the same client are not locked out by one account's failures
    other = await sign_up(client)
    ok = await client.post("/auth/login", json={"email": other["email"], "password": other["password"]})
    assert ok.status_code == 200


async def test_login_rate_limited_per_client(client: AsyncTestClient, db) -> None:  # type: ignore[no-untyped-def]
    limit = client.app.state.settings.login_failures_per_client
    from sqlalchemy import delete

    from learning_api.db.tables import LoginLimit

    async with db() as session, session.begin():
        await session.execute(delete(LoginLimit).where(LoginLimit.scope_key.like("client:%")))
    for i in range(limit):
        await client.post("/auth/login", json={"email": f"nobody{i}@example.ee", "password": "x"})
    r = await client.post("/auth/login", json={"email": "someone@example.ee", "password": "whatever"})
    assert r.status_code == 429
    async with db() as session, session.begin():
        await session.execute(delete(LoginLimit).where(LoginLimit.scope_key.like("client:%")))


async def test_profile_update_is_partial_and_validated(client: AsyncTestClient) -> None:
    user = await sign_up(client, instruction_language="ru")
    headers = {"Authorization": user["auth"]}
    profile = (await client.get("/me/profile", headers=headers)).json()
    assert profile["instruction_language"] == "ru"
    r = await client.patch(
        "/me/profile",
        headers=headers,
        json={"region": "Ida-Virumaa", "target_level": "B1", "target_exam_date": "2027-05-20"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["region"] == "Ida-Virumaa" and r.json()["instruction_language"] == "ru"
    bad = await client.patch("/me/profile", headers=headers, json={"region": "Narnia"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "region"
    bad_tz = await client.patch("/me/profile", headers=headers, json={"time_zone": "Mars/Olympus"})
    assert bad_tz.status_code == 422 and bad_tz.json()["errors"][0]["field"] == "time_zone"
    assert (await client.get("/me/profile", headers=headers)).json()["region"] == "Ida-Virumaa"


async def test_only_admins_change_roles(client: AsyncTestClient) -> None:
    learner, admin = await sign_up(client), await sign_up(client, role="admin")
    r = await client.put(
        f"/users/{learner['id']}/role", json={"role": "teacher"}, headers={"Authorization": learner["auth"]}
    )
    assert r.status_code == 403
    r = await client.put(
        f"/users/{learner['id']}/role", json={"role": "teacher"}, headers={"Authorization": admin["auth"]}
    )
    assert r.status_code == 200 and r.json()["role"] == "teacher"
