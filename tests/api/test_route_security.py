"""Every route checks who may call it: without a token only the explicitly public routes answer."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.test_bad_input import _fill, _routes

PUBLIC_ROUTES = {
    ("GET", "/health"),
    ("GET", "/ready"),
    ("POST", "/auth/register"),
    ("POST", "/auth/login"),
    ("POST", "/auth/refresh"),  # the access token may have run out: the refresh token is the credential
    ("GET", "/media/{key:path}"),  # guarded by an HMAC signature instead of a token
    ("PUT", "/media/{key:path}"),  # the local store's presigned upload: an HMAC signature for PUT
    ("GET", "/catalog/media/{name:str}"),  # a content hash; redirects to a presigned URL (media players)
}


async def test_only_listed_routes_are_public(client: AsyncTestClient, app: Litestar) -> None:
    public = set()
    for method, path in _routes(app):
        if path.startswith(DASHBOARD):
            continue  # pages for people: a cookie, not a bearer token (next test)
        r = await client.request(method, _fill(path, valid_shape=True))
        if r.status_code != 401:
            public.add((method, path))
    assert public == PUBLIC_ROUTES


DASHBOARD = "/dashboard"
DASHBOARD_OPEN = {("GET", "/dashboard/login"), ("POST", "/dashboard/login"), ("POST", "/dashboard/logout")}


async def test_dashboard_pages_send_strangers_to_the_login_page(
    client: AsyncTestClient, app: Litestar
) -> None:
    """Every dashboard page but the log-in form needs the dashboard cookie; without it, the browser is sent
    to log in (each page then checks the role it needs: tests/api/test_dashboard.py)."""
    client.cookies.clear()
    pages = [
        (m, p) for m, p in _routes(app) if p.startswith(DASHBOARD) and not p.startswith(f"{DASHBOARD}/static")
    ]
    assert len(pages) > 10
    for method, path in pages:
        if (method, path) in DASHBOARD_OPEN:
            continue
        r = await client.request(method, _fill(path, valid_shape=True), follow_redirects=False)
        assert r.status_code in (302, 303), (method, path, r.status_code)
        assert r.headers["location"].startswith("/dashboard/login"), (method, path)


async def test_every_guarded_handler_names_a_role_guard(app: Litestar) -> None:
    """A logged-in learner must not reach teacher/author/admin routes by accident: each non-public
    handler carries a guard (its own or its controller's)."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if (
                handler.opt.get("exclude_from_auth")
                or route.path.startswith("/schema")
                or handler.http_methods == {"OPTIONS"}
            ):
                continue
            guards = handler.resolve_guards()
            assert guards, f"{route.path} has no guard"


async def test_openapi_document_is_public_and_lists_the_api(client: AsyncTestClient) -> None:
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert {"/auth/login", "/study/session", "/study/answers", "/placement", "/progress"} <= set(paths)
    assert r.json()["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
