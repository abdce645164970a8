"""Every route, every kind of bad input: a 4xx problem-details body naming what was wrong, never a 500.

The routes are enumerated from the app itself, so a route added later is covered without editing here.
"""

from __future__ import annotations

import re
import uuid

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import sign_up

PATH_PARAM = re.compile(r"\{(\w+):(\w+)\}")
BODY_METHODS = {"POST", "PUT", "PATCH"}
BAD_BODIES: list[tuple[str, bytes]] = [
    ("malformed json", b'{"email": "a@b.ee", '),
    ("not an object", b"[1, 2, 3]"),
    ("a bare number", b"42"),
    ("empty object", b"{}"),
    ("wrong types", b'{"email": 5, "password": [], "role": {}, "items": "x", "answers": 7, "name": 1}'),
    ("unknown fields only", b'{"surprise": true}'),
    ("not utf-8", b'{"email": "\xff\xfe"}'),
]


def _routes(app: Litestar) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        for method in sorted(getattr(route, "methods", ())):
            if method in {"HEAD", "OPTIONS"} or route.path.startswith("/schema"):
                continue
            found.append((method, route.path))
    return found


def _fill(path: str, *, valid_shape: bool) -> str:
    def value(match: re.Match[str]) -> str:
        kind = match.group(2)
        if kind == "uuid":
            return str(uuid.uuid4()) if valid_shape else "not-a-uuid"
        if kind == "int":
            return "987654321" if valid_shape else "abc"
        return "no-such-thing"

    return PATH_PARAM.sub(value, path)


def _assert_problem(response, what: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json"), what
        body = response.json()
        assert body["status"] == response.status_code and body["title"] and "detail" in body, what


async def test_every_route_answers_bad_input_with_4xx_problem(client: AsyncTestClient, app: Litestar) -> None:
    routes = _routes(app)
    assert len(routes) >= 8
    admin = await sign_up(client, role="admin")
    for method, path in routes:
        if path.startswith("/dashboard"):
            continue  # HTML pages with cookie sign-in: their bad forms are tested in test_dashboard.py
        if (method, path) == ("DELETE", "/me"):  # this one deletes the caller: give it its own
            admin = await sign_up(client, role="admin")
        headers = {"Authorization": admin["auth"], "Content-Type": "application/json"}
        for valid_shape in (True, False):
            url = _fill(path, valid_shape=valid_shape)
            if method in BODY_METHODS:
                for name, body in BAD_BODIES:
                    r = await client.request(method, url, content=body, headers=headers)
                    _assert_problem(r, f"{method} {url} with {name}")
                    if "{" not in path and r.status_code == 400 and name != "malformed json":
                        assert r.json().get("errors") or r.json()["detail"], f"{method} {url} {name}"
            else:
                r = await client.request(method, url, headers=headers, params={"limit": "lots", "since": "x"})
                _assert_problem(r, f"{method} {url}")
        if "{" in path:  # unknown ids of the right shape are 404 (or 403/422), never 500
            r = await client.request(
                method,
                _fill(path, valid_shape=True),
                headers=headers,
                content=b"{}" if method in BODY_METHODS else None,
            )
            _assert_problem(r, f"{method} {path} unknown id")


async def test_oversize_body_is_413_problem(client: AsyncTestClient) -> None:
    size = client.app.state.settings.max_body_bytes + 1024
    r = await client.post(
        "/auth/register",
        content=b'{"email": "' + b"a" * size + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_missing_field_is_named(client: AsyncTestClient) -> None:
    r = await client.post("/auth/register", json={"email": "puudu@example.ee"})
    assert r.status_code == 400
    assert "password" in r.json()["detail"]
    assert any(e["field"] in ("password", "body") for e in r.json()["errors"])


async def test_wrong_type_is_named(client: AsyncTestClient) -> None:
    r = await client.post("/auth/register", json={"email": "tyyp@example.ee", "password": 12345678})
    assert r.status_code == 400
    assert "password" in r.json()["detail"]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
async def test_unknown_path_is_404_problem(client: AsyncTestClient, method: str) -> None:
    r = await client.request(method, "/no/such/route")
    assert r.status_code in (404, 405)
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_problem_titles_follow_accept_language(client: AsyncTestClient) -> None:
    r = await client.get("/me", headers={"Accept-Language": "uk-UA,uk;q=0.9"})
    assert r.status_code == 401 and r.json()["title"] == "Вхід не виконано"
    r = await client.get("/me", headers={"Accept-Language": "et"})
    assert r.json()["title"] == "Sisse logimata"
    assert (await client.get("/me")).json()["title"] == "Not authenticated"
