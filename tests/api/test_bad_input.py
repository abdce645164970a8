"""Every route, every kind of bad input: a 4xx problem-details body naming what was wrong, never a 500.

The routes are enumerated from the app itself, so a route added later is covered without editing here.
"""

from __future__ import annotations

import json
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


NUL = "\u0000"
# Every string field name the routes take, each holding a NUL: whichever the route reads, it is refused.
STRING_FIELDS = "email password name code message response item_id yaml role title language region time_zone"
NUL_BODY = json.dumps({name: f"ja{NUL}h" for name in STRING_FIELDS.split()}).encode()
ODD_QUERY_VALUES = ("-1", "0", "-9223372036854775809", "1" * 30, "1e999", "nan", "", f"a{NUL}b", "x" * 5000)
HOSTILE_BODIES: list[tuple[str, bytes]] = [
    ("a NUL in every string", NUL_BODY),
    ("a NUL in a key", b'{"email\\u0000": "a@b.ee"}'),
    ("a NUL inside an array", b'[{"id": "x", "response": "\\u0000"}, "\\u0000"]'),
    ("nested 1,000 deep", b"[" * 1000 + b"]" * 1000),
    ("nested 100,000 deep", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
]


async def test_hostile_bodies_on_every_route_are_400_naming_the_field(
    client: AsyncTestClient, app: Litestar
) -> None:
    """NUL characters and deep nesting, with a token and without one: refused before anything stores or
    recurses (PostgreSQL cannot store a NUL; decoding deep JSON recurses)."""
    admin = await sign_up(client, role="admin")
    body_routes = [(m, p) for m, p in _routes(app) if m in BODY_METHODS]
    assert len(body_routes) >= 10
    for method, path in body_routes:
        url = _fill(path, valid_shape=True)
        for auth in ({"Authorization": admin["auth"]}, {}):
            for name, body in HOSTILE_BODIES:
                if (method, path, name) == ("POST", "/study/answers", "a NUL inside an array"):
                    continue  # a batch: the entry is rejected, the rest kept (tests/api/test_sync_input.py)
                headers = {**auth, "Content-Type": "application/json"}
                r = await client.request(method, url, content=body, headers=headers)
                what = f"{method} {url} {name} {'with' if auth else 'without'} a token"
                assert r.status_code == 400, f"{what}: {r.status_code} {r.text[:200]}"
                _assert_problem(r, what)
                field = r.json()["errors"][0]["field"]
                assert field == "body" if "nested" in name else field != "body", (what, field)


async def test_out_of_range_query_values_on_every_route(client: AsyncTestClient, app: Litestar) -> None:
    """Every query parameter the API documents, given values no client should send: 4xx, never 500."""
    admin = await sign_up(client, role="admin")
    headers = {"Authorization": admin["auth"]}
    typed = {PATH_PARAM.sub(r"{\1}", path): path for _, path in _routes(app)}
    queries = [
        (method.upper(), path, parameter.name)
        for path, item in app.openapi_schema.paths.items()
        for method in ("get", "post", "put", "patch", "delete")
        if (operation := getattr(item, method)) is not None
        for parameter in operation.parameters or []
        if parameter.param_in == "query"
    ]
    assert ("GET", "/study/session", "seed") in queries
    for method, path, name in queries:
        url = _fill(typed[path], valid_shape=True)
        for value in ODD_QUERY_VALUES:
            r = await client.request(method, url, params={name: value}, headers=headers)
            _assert_problem(r, f"{method} {path}?{name}={value[:20]!r}")
            if NUL in value:
                assert r.status_code == 400 and r.json()["errors"][0]["field"] == name


async def test_negative_session_seed_is_400(client: AsyncTestClient) -> None:
    learner = await sign_up(client)
    r = await client.get("/study/session", params={"seed": "-1"}, headers={"Authorization": learner["auth"]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "seed"


async def test_nul_in_a_path_parameter_is_400_naming_it(client: AsyncTestClient) -> None:
    learner = await sign_up(client)
    r = await client.get("/catalog/lessons/ab%00c", headers={"Authorization": learner["auth"]})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "lesson_id"
