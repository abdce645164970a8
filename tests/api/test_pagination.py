"""The one paging envelope on list routes: pages cover the list once, in order, and bad paging input is a
problem naming the parameter."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.conftest import sign_up


async def _pages(client: AsyncTestClient, path: str, headers: dict[str, str], limit: int) -> list[dict]:  # type: ignore[type-arg]
    pages, offset = [], 0
    while offset is not None:
        response = await client.get(path, params={"limit": limit, "offset": offset}, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert (page["limit"], page["offset"]) == (limit, offset) and len(page["items"]) <= limit
        pages.append(page)
        offset = page["next_offset"]
    return pages


async def test_pages_cover_a_list_once_in_order(client: AsyncTestClient) -> None:
    teacher = {"Authorization": (await sign_up(client, role="teacher"))["auth"]}
    names = [f"Rühm {n}" for n in range(5)]
    for name in names:
        assert (await client.post("/classes", json={"name": name}, headers=teacher)).status_code == 201

    pages = await _pages(client, "/classes", teacher, limit=2)
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert [c["name"] for p in pages for c in p["items"]] == names  # oldest first, none twice
    whole = (await client.get("/classes", headers=teacher)).json()
    assert whole["next_offset"] is None and [c["name"] for c in whole["items"]] == names
    past_the_end = (await client.get("/classes", params={"offset": 50}, headers=teacher)).json()
    assert past_the_end["items"] == [] and past_the_end["next_offset"] is None


async def test_bad_paging_is_a_problem_naming_the_parameter(client: AsyncTestClient) -> None:
    learner = {"Authorization": (await sign_up(client))["auth"]}
    for params in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}):
        response = await client.get("/catalog/courses", params=params, headers=learner)
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == list(params)
