"""What a mobile client relies on besides the payloads: ETags and 304s on catalog documents, immutable
versioned lessons, stable media links, compression, and the API-Version header on every response."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from learning_api.api_version import API_VERSION
from learning_api.caching import IMMUTABLE, REVALIDATE
from learning_api.settings import Settings
from tests.api.test_catalog import Sessions, _upload
from tests.conftest import sign_up
from tests.unit.authoring.lesson_fixture import AUDIO


async def _revalidates(client: AsyncTestClient, url: str, auth: dict[str, str], cache_control: str) -> str:
    first = await client.get(url, headers=auth)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == cache_control
    same = await client.get(url, headers={**auth, "If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    other = await client.get(url, headers={**auth, "If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.json() == first.json()
    return etag


async def test_catalog_documents_revalidate_and_versions_are_immutable(
    client: AsyncTestClient, db: Sessions, settings: Settings, tmp_path: Path
) -> None:
    lesson_id = await _upload(db, settings, tmp_path, publish=True)
    auth = {"Authorization": (await sign_up(client, instruction_language="uk"))["auth"]}

    await _revalidates(client, "/catalog/courses", auth, REVALIDATE)
    current = await _revalidates(client, f"/catalog/lessons/{lesson_id}", auth, REVALIDATE)
    english = await _revalidates(client, f"/catalog/lessons/{lesson_id}?lang=en", auth, REVALIDATE)
    assert english != current  # another body, another tag
    await _revalidates(client, f"/catalog/items/{lesson_id}-04", auth, REVALIDATE)

    versioned = f"/catalog/lessons/{lesson_id}/versions/1/uk"
    assert await _revalidates(client, versioned, auth, IMMUTABLE) == current  # the same document
    assert (await client.get(f"/catalog/lessons/{lesson_id}/versions/2/uk", headers=auth)).status_code == 404
    bad_language = await client.get(f"/catalog/lessons/{lesson_id}/versions/1/de", headers=auth)
    assert bad_language.status_code == 422 and bad_language.json()["errors"][0]["field"] == "lang"

    # The cached document's media link outlives any presigned URL: it redirects to a fresh one.
    listen = next(
        e for e in (await client.get(versioned, headers=auth)).json()["exercises"] if "audio_url" in e
    )
    redirect = await client.get(listen["audio_url"], follow_redirects=False)
    assert redirect.status_code == 307 and "sig=" in redirect.headers["location"]
    assert (await client.get(listen["audio_url"], follow_redirects=True)).content == AUDIO
    assert (await client.get("/catalog/media/not-a-hash.ogg")).status_code == 404


async def test_responses_are_compressed_when_the_client_accepts_it(client: AsyncTestClient) -> None:
    plain = await client.get("/schema/openapi.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    for encoding in ("br", "gzip"):
        r = await client.get("/schema/openapi.json", headers={"Accept-Encoding": encoding})
        assert r.headers["content-encoding"] == encoding and r.json() == plain.json()
    raw = await client.get("/schema/openapi.json", headers={"Accept-Encoding": "br"})
    assert int(raw.headers["content-length"]) * 3 < len(plain.content)  # JSON shrinks well


async def test_every_response_names_the_api_version(client: AsyncTestClient) -> None:
    auth = {"Authorization": (await sign_up(client))["auth"]}
    for response in (
        await client.get("/health"),
        await client.get("/me", headers=auth),
        await client.get("/me"),  # 401 problem
        await client.get("/no/such/route", headers=auth),  # 404 from the router
        await client.get("/catalog/courses", params={"limit": 0}, headers=auth),  # 400 problem
    ):
        assert response.headers["api-version"] == API_VERSION, response.request.url
    schema = (await client.get("/schema/openapi.json")).json()
    assert f"API-Version: {API_VERSION}" in schema["info"]["description"]
    assert "API-Version" in schema["paths"]["/catalog/courses"]["get"]["responses"]["200"]["headers"]


async def test_the_export_is_streamed(client: AsyncTestClient) -> None:
    """Sent as it is read (no length known up front), and still one JSON document."""
    learner = await sign_up(client)
    response = await client.get(
        "/me/export", headers={"Authorization": learner["auth"], "Accept-Encoding": "identity"}
    )
    assert response.status_code == 200 and "content-length" not in response.headers
    assert response.headers["content-disposition"].startswith("attachment")
    export = response.json()
    assert export["user"]["email"] == learner["email"] and export["answers"] == []
