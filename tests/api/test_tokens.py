"""Sessions: short-lived access tokens, one-use refresh tokens that rotate (a replay ends the session),
log-out, password change; and what sign-up refuses (guessable passwords, bad e-mail syntax)."""

from __future__ import annotations

import dataclasses

import pytest
from litestar.testing import AsyncTestClient

from learning_api.accounts.passwords import WEAK_PASSWORD
from learning_api.app import create_app
from learning_api.i18n import translator
from learning_api.settings import Settings
from tests.conftest import sign_up, unique_email
from tests.fixtures.live import live_client


def _bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['token']}"}


async def test_login_gives_a_short_access_token_and_a_refresh_token(client: AsyncTestClient) -> None:
    user = await sign_up(client)
    r = await client.post("/auth/login", json={"email": user["email"], "password": user["password"]})
    body = r.json()
    assert r.status_code == 200 and body["token_type"] == "bearer"
    assert 0 < body["expires_in"] <= client.app.state.settings.access_token_ttl_minutes * 60
    assert body["refresh_token"] and body["refresh_token"] != body["token"]
    assert body["refresh_expires_at"] > body["expires_at"]


async def test_refresh_rotates_and_a_replayed_refresh_token_ends_the_session(client: AsyncTestClient) -> None:
    user = await sign_up(client)
    first = await client.post("/auth/refresh", json={"refresh_token": user["refresh_token"]})
    assert first.status_code == 200, first.text
    rotated = first.json()
    assert rotated["refresh_token"] != user["refresh_token"] and rotated["token"] != user["token"]
    assert (await client.get("/me", headers=_bearer(rotated))).json()["id"] == user["id"]
    # the used refresh token again: someone else has it, so every token of this session stops working
    replay = await client.post("/auth/refresh", json={"refresh_token": user["refresh_token"]})
    assert replay.status_code == 401
    assert replay.headers["content-type"].startswith("application/problem+json")
    assert (await client.get("/me", headers=_bearer(rotated))).status_code == 401
    assert (await client.get("/me", headers={"Authorization": user["auth"]})).status_code == 401
    again = await client.post("/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert again.status_code == 401


async def test_a_replay_ends_only_its_own_session(client: AsyncTestClient) -> None:
    user = await sign_up(client)
    other_device = (
        await client.post("/auth/login", json={"email": user["email"], "password": user["password"]})
    ).json()
    assert (
        await client.post("/auth/refresh", json={"refresh_token": user["refresh_token"]})
    ).status_code == 200
    assert (
        await client.post("/auth/refresh", json={"refresh_token": user["refresh_token"]})
    ).status_code == 401
    assert (await client.get("/me", headers=_bearer(other_device))).status_code == 200


@pytest.mark.parametrize("token", ["nonsense", "not-hex.secret", "0" * 32 + ".secret", "." * 5])
async def test_unknown_refresh_tokens_get_401(client: AsyncTestClient, token: str) -> None:
    r = await client.post("/auth/refresh", json={"refresh_token": token})
    assert r.status_code == 401 and r.json()["status"] == 401


async def test_logout_ends_the_refresh_token_too(client: AsyncTestClient) -> None:
    user = await sign_up(client)
    assert (await client.post("/auth/logout", headers={"Authorization": user["auth"]})).status_code == 204
    r = await client.post("/auth/refresh", json={"refresh_token": user["refresh_token"]})
    assert r.status_code == 401


async def test_an_expired_access_token_is_refused_and_the_refresh_token_signs_in_again(
    settings: Settings,
) -> None:
    """Access tokens that live no time at all: the refresh token alone keeps the learner signed in."""
    instant = dataclasses.replace(settings, access_token_ttl_minutes=0)
    async with live_client(create_app(instant)) as c:
        email, password = unique_email("mobile"), "kuu-valgel-kaevul-7"
        assert (
            await c.post("/auth/register", json={"email": email, "password": password})
        ).status_code == 201
        tokens = (await c.post("/auth/login", json={"email": email, "password": password})).json()
        assert tokens["expires_in"] == 0
        assert (await c.get("/me", headers=_bearer(tokens))).status_code == 401
        renewed = await c.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert renewed.status_code == 200 and renewed.json()["user_id"] == tokens["user_id"]


async def test_password_change_needs_the_current_password_and_logs_out_other_devices(
    client: AsyncTestClient,
) -> None:
    user = await sign_up(client, instruction_language="uk")
    here = {"Authorization": user["auth"]}
    phone = (
        await client.post("/auth/login", json={"email": user["email"], "password": user["password"]})
    ).json()
    new = "talvel-jääl-uisutama-9"

    wrong = await client.post(
        "/me/password", json={"current_password": "vale-parool-1", "new_password": new}, headers=here
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    weak = await client.post(
        "/me/password", json={"current_password": user["password"], "new_password": "12345678"}, headers=here
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    assert weak.json()["detail"] == translator("uk")(WEAK_PASSWORD) != WEAK_PASSWORD

    changed = await client.post(
        "/me/password", json={"current_password": user["password"], "new_password": new}, headers=here
    )
    assert changed.status_code == 204, changed.text
    assert (await client.get("/me", headers=here)).status_code == 200  # this device stays signed in
    assert (await client.get("/me", headers=_bearer(phone))).status_code == 401
    phone_refresh = await client.post("/auth/refresh", json={"refresh_token": phone["refresh_token"]})
    assert phone_refresh.status_code == 401
    old = await client.post("/auth/login", json={"email": user["email"], "password": user["password"]})
    assert old.status_code == 401
    assert (
        await client.post("/auth/login", json={"email": user["email"], "password": new})
    ).status_code == 200


@pytest.mark.parametrize(
    ("password", "lang"),
    [
        ("password", "en"),
        ("12345678", "et"),
        ("qwertyuiop", "ru"),
        ("parool123", "uk"),
        ("salasõna2026", "et"),
    ],
)
async def test_guessable_passwords_are_refused_in_the_learners_language(
    client: AsyncTestClient, password: str, lang: str
) -> None:
    r = await client.post(
        "/auth/register",
        json={"email": unique_email(), "password": password, "instruction_language": lang},
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "password", "message": translator(lang)(WEAK_PASSWORD)}]


async def test_a_password_made_of_the_address_is_refused(client: AsyncTestClient) -> None:
    r = await client.post(
        "/auth/register", json={"email": "kristjan.kaljuste@example.ee", "password": "kristjan.kaljuste"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"


@pytest.mark.parametrize(
    "email",
    ["mari@", "@example.ee", "mari tamm@example.ee", "mari@example..ee", "mari@localhost", "a@b@c.ee"],
)
async def test_bad_email_syntax_is_refused(client: AsyncTestClient, email: str) -> None:
    r = await client.post("/auth/register", json={"email": email, "password": "kuu-valgel-kaevul-7"})
    assert r.status_code in (400, 422), r.text
    assert r.json()["errors"][0]["field"] == "email"
