"""Log-in under attack: parallel guesses meet exact limits, argon2 does not stall the event loop, the client
address comes from trusted proxies only, and the last admin stays. Each test runs its own app behind a real
server on the test's event loop (``live_client``), so requests sent together really run together; the
loopback is made a trusted proxy, so each test picks its client address with X-Forwarded-For. SQLite and
PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import anyio.to_thread
import httpx
import pytest
from argon2 import PasswordHasher

from learning_api.accounts import passwords
from learning_api.app import create_app
from learning_api.settings import Settings
from tests.conftest import fresh_database, unique_email
from tests.fixtures.live import live_client

GUESSES = 40
PASSWORD = "kuu-valgel-kaevul-7"


LOOPBACK = "127.0.0.1/32"


def _peer() -> str:
    """A client address no other test uses (the counters live in the session's shared database)."""
    value = uuid.uuid4().int
    return f"10.{value % 250}.{value // 250 % 250}.{value // 62500 % 250 + 1}"


@asynccontextmanager
async def behind_proxy(settings: Settings, **changes: object) -> AsyncIterator[httpx.AsyncClient]:
    """The app with ``changes`` to its settings, reached through a trusted proxy on the loopback as a
    client address of its own."""
    settings = dataclasses.replace(settings, **{"trusted_proxies": (LOOPBACK,), **changes})  # type: ignore[arg-type]
    async with live_client(create_app(settings)) as client:
        client.headers["X-Forwarded-For"] = _peer()
        yield client


async def _register(client: httpx.AsyncClient, **extra: str) -> dict[str, str]:
    email = unique_email("kaitse")
    r = await client.post("/auth/register", json={"email": email, "password": PASSWORD, **extra})
    assert r.status_code == 201, r.text
    return {"email": email, "id": r.json()["id"]}


async def _guess_all(client: httpx.AsyncClient, emails: list[str], **kwargs: object) -> Counter[int]:
    replies = await asyncio.gather(
        *(
            client.post("/auth/login", json={"email": e, "password": "vale-arvamus-1"}, **kwargs)
            for e in emails
        )
    )
    for r in replies:
        assert r.headers["content-type"].startswith("application/problem+json")
        if r.status_code == 429:
            assert int(r.headers["retry-after"]) > 0
    return Counter(r.status_code for r in replies)


async def test_parallel_wrong_guesses_get_exactly_the_account_limit(settings: Settings) -> None:
    async with behind_proxy(settings, login_failures_per_account=5, login_failures_per_client=1000) as client:
        user = await _register(client)
        statuses = await _guess_all(client, [user["email"]] * GUESSES)
        print(f"\n{GUESSES} parallel wrong guesses, account limit 5: {dict(statuses)}")
        assert statuses == {401: 5, 429: GUESSES - 5}
        right = await client.post("/auth/login", json={"email": user["email"], "password": PASSWORD})
        assert right.status_code == 429  # the limit holds for the right password too, until the window ends


async def test_parallel_wrong_guesses_get_exactly_the_client_limit(settings: Settings) -> None:
    async with behind_proxy(settings, login_failures_per_account=5, login_failures_per_client=12) as client:
        statuses = await _guess_all(client, [unique_email("nobody") for _ in range(GUESSES)])
        print(f"\n{GUESSES} parallel wrong guesses on {GUESSES} accounts, client limit 12: {dict(statuses)}")
        assert statuses == {401: 12, 429: GUESSES - 12}


async def test_a_right_password_gives_its_attempt_back(settings: Settings) -> None:
    async with behind_proxy(settings, login_failures_per_account=3, login_failures_per_client=3) as client:
        user = await _register(client)
        for _ in range(5):  # more successes than the limit: they are not failures
            r = await client.post("/auth/login", json={"email": user["email"], "password": PASSWORD})
            assert r.status_code == 200, r.text
        assert await _guess_all(client, [user["email"]] * 4) == {401: 3, 429: 1}


class HeldHasher(PasswordHasher):
    """The real argon2 hasher, but verifying waits until the test says another request was answered. On
    the event loop that other request could never be answered while verifying waits, and the wait would
    run out instead."""

    def __init__(self) -> None:
        super().__init__()
        self.verifying = threading.Event()
        self.release = threading.Event()
        self.released = False

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verifying.set()
        self.released = self.release.wait(timeout=20)
        return super().verify(hash, password)


async def test_another_request_is_served_while_a_log_in_hashes(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with behind_proxy(settings) as client:
        user = await _register(client)
        held = HeldHasher()
        monkeypatch.setattr(passwords, "_hasher", held)
        login = asyncio.create_task(
            client.post("/auth/login", json={"email": user["email"], "password": PASSWORD})
        )
        assert await anyio.to_thread.run_sync(held.verifying.wait, 20)
        health = await client.get("/health")  # answered while the log-in is inside argon2
        held.release.set()
        assert health.status_code == 200
        assert (await login).status_code == 200
        assert held.released, "the log-in's hash blocked the event loop: /health waited for it"


async def test_forwarded_for_counts_only_behind_a_trusted_proxy(settings: Settings, db) -> None:  # type: ignore[no-untyped-def]
    limit = 3
    first, second = _peer(), _peer()
    emails = [unique_email("nobody") for _ in range(limit + 1)]
    async with behind_proxy(
        settings, login_failures_per_client=limit, trusted_proxies=(LOOPBACK, "192.168.77.0/24")
    ) as client:
        assert await _guess_all(client, emails, headers={"X-Forwarded-For": first}) == {401: limit, 429: 1}
        # the same client behind two trusted proxies (the nearer one appended last) is still that client
        via_two = {"X-Forwarded-For": f"{first}, 192.168.77.5"}
        assert await _guess_all(client, emails[:1], headers=via_two) == {429: 1}
        # a client cannot claim an address left of its own: the first untrusted one from the right counts
        spoofed = {"X-Forwarded-For": f"{_peer()}, {second}"}
        assert await _guess_all(client, emails[:1], headers=spoofed) == {401: 1}

    # The loopback not trusted: the header is ignored and the peer address counts, so inventing addresses
    # does not help. (Its counter is shared with other tests: start it from nothing.)
    await _clear_counter(db, "client:127.0.0.1")
    async with behind_proxy(
        settings, login_failures_per_client=limit, trusted_proxies=("10.0.0.0/8",)
    ) as client:
        replies = [
            await client.post(
                "/auth/login",
                json={"email": unique_email("nobody"), "password": "x"},
                headers={"X-Forwarded-For": _peer()},
            )
            for _ in range(limit + 1)
        ]
        assert [r.status_code for r in replies] == [401] * limit + [429]
    await _clear_counter(db, "client:127.0.0.1")


async def _clear_counter(db, key: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    from learning_api.db.tables import LoginLimit

    async with db() as session, session.begin():
        await session.execute(delete(LoginLimit).where(LoginLimit.scope_key == key))


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    assert Settings(trusted_proxies=("10.0.0.0/8", "::1")).trusted_proxies == ("10.0.0.0/8", "::1")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Settings(trusted_proxies=("proxy.example.ee",))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def lone_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """A database of its own: the shared one has many admins, and this needs to know who is the last."""
    url = fresh_database(request.param, "lastadmin", tmp_path_factory)
    yield Settings(database_url=url, object_store_url=f"file://{tmp_path_factory.mktemp('lone-objects')}")


async def _login(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    r = await client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


async def test_the_last_admin_cannot_be_demoted_or_deleted(lone_settings: Settings) -> None:
    from learning_api.accounts.service import register
    from learning_api.db.session import make_engine, make_sessionmaker

    first_email = unique_email("admin")
    engine = make_engine(lone_settings.database_url)
    async with make_sessionmaker(engine)() as session, session.begin():
        first = await register(session, email=first_email, password=PASSWORD, role="admin")
    await engine.dispose()
    async with live_client(create_app(lone_settings)) as client:
        first_auth = await _login(client, first_email)
        refused = await client.put(f"/users/{first.id}/role", json={"role": "learner"}, headers=first_auth)
        assert refused.status_code == 409
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["errors"][0]["field"] == "role"
        assert (await client.delete("/me", headers=first_auth)).status_code == 409
        assert (await client.get("/me", headers=first_auth)).json()["role"] == "admin"

        second = await _register(client)
        granted = await client.put(f"/users/{second['id']}/role", json={"role": "admin"}, headers=first_auth)
        assert granted.status_code == 200
        second_auth = await _login(client, second["email"])
        # two admins demote each other at once: one of them has to stay
        both = await asyncio.gather(
            client.put(f"/users/{second['id']}/role", json={"role": "teacher"}, headers=first_auth),
            client.put(f"/users/{first.id}/role", json={"role": "teacher"}, headers=second_auth),
        )
        statuses = sorted(r.status_code for r in both)
        # the loser is refused as the last admin (409), or by the admin guard if it was demoted first (403)
        assert statuses in ([200, 409], [200, 403]), statuses
        remaining = first_auth if both[0].status_code == 200 else second_auth
        assert (await client.get("/me", headers=remaining)).json()["role"] == "admin"
        assert (await client.delete("/me", headers=remaining)).status_code == 409
