"""What only the folder store can get wrong: its signed media route, byte ranges and the files on disk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from learning_api.storage import (
    InvalidKey,
    LocalStore,
    SignatureInvalid,
    open_store,
    sign_local_url,
    verify_local_signature,
)
from tests.integration.storage.conftest import LOCAL_ORIGIN, SECRET, local_url, media_app

AUDIO = bytes(range(10))
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    store = open_store(local_url(tmp_path / "objects"), public_base_url=LOCAL_ORIGIN, signing_secret=SECRET)
    assert isinstance(store, LocalStore)
    store.ensure_bucket()
    store.put("media/heli.mp3", AUDIO, "audio/mpeg")
    return store


@pytest.fixture
async def client(local: LocalStore) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=media_app(local)) as test_client:
        yield test_client


def url_for(key: str, *, expires_in: timedelta = timedelta(minutes=5), secret: str = SECRET) -> str:
    return sign_local_url(key, datetime.now(UTC) + expires_in, secret)


async def test_an_expired_url_is_403_problem_details(client: AsyncTestClient) -> None:
    response = await client.get(url_for("media/heli.mp3", expires_in=timedelta(seconds=-1)))

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "expired" in response.json()["detail"]


@pytest.mark.parametrize("tamper", ["sig", "expires", "secret"])
async def test_a_url_changed_or_signed_with_another_secret_is_403(
    client: AsyncTestClient, tamper: str
) -> None:
    url = url_for("media/heli.mp3", secret="another-secret" if tamper == "secret" else SECRET)
    if tamper == "sig":
        url = url.replace("sig=", "sig=x")
    elif tamper == "expires":
        url = url.replace("expires=", "expires=1")

    response = await client.get(url)

    assert response.status_code == 403
    assert "does not match" in response.json()["detail"]


async def test_a_url_without_its_signature_is_refused(client: AsyncTestClient) -> None:
    response = await client.get("/media/media/heli.mp3")

    assert response.status_code == 400


async def test_served_media_cannot_run_as_a_page_and_is_cached_only_until_expiry(
    local: LocalStore, client: AsyncTestClient
) -> None:
    response = await client.get(url_for("media/heli.mp3", expires_in=timedelta(minutes=5)))

    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["etag"] == f'"{local.stat("media/heli.mp3").etag}"'
    max_age = int(response.headers["cache-control"].removeprefix("private, max-age="))
    assert 0 < max_age <= 300


@pytest.mark.parametrize(
    ("header", "status", "body", "content_range"),
    [
        ("bytes=2-5", 206, AUDIO[2:6], "bytes 2-5/10"),
        ("bytes=7-", 206, AUDIO[7:], "bytes 7-9/10"),
        ("bytes=-3", 206, AUDIO[7:], "bytes 7-9/10"),
        ("bytes=8-100", 206, AUDIO[8:], "bytes 8-9/10"),
        ("bytes=10-", 416, b"", "bytes */10"),
        ("bytes=5-2", 416, b"", "bytes */10"),
    ],
)
async def test_byte_ranges_for_media_players(
    client: AsyncTestClient, header: str, status: int, body: bytes, content_range: str
) -> None:
    response = await client.get(url_for("media/heli.mp3"), headers={"Range": header})

    assert (response.status_code, response.content) == (status, body)
    assert response.headers["content-range"] == content_range


def test_verification_refuses_a_signature_for_another_key_or_time() -> None:
    url = sign_local_url("media/a.mp3", NOW + timedelta(minutes=1), SECRET)
    query = dict(part.split("=", 1) for part in url.split("?")[1].split("&"))
    expires, sig = int(query["expires"]), query["sig"]

    verify_local_signature("media/a.mp3", expires, sig, SECRET, now=NOW)
    for key, when in [("media/b.mp3", NOW), ("media/a.mp3", NOW + timedelta(minutes=1))]:
        with pytest.raises(SignatureInvalid):
            verify_local_signature(key, expires, sig, SECRET, now=when)


def test_signing_refuses_naive_times_and_empty_secrets() -> None:
    with pytest.raises(ValueError, match="naive"):
        sign_local_url("media/a.mp3", datetime(2026, 1, 5, 12, 0), SECRET)
    with pytest.raises(ValueError, match="secret"):
        sign_local_url("media/a.mp3", NOW, "")


def test_presigning_without_a_secret_is_a_configuration_error(tmp_path: Path) -> None:
    store = open_store(local_url(tmp_path))

    with pytest.raises(ValueError, match="signing secret"):
        store.presigned_get_url("media/a.mp3", timedelta(minutes=1))


def test_a_key_cannot_be_both_an_object_and_a_folder(local: LocalStore) -> None:
    with pytest.raises(InvalidKey, match="parent"):
        local.put("media/heli.mp3/extra", b"x", "text/plain")
    with pytest.raises(InvalidKey, match="prefix"):
        local.put("media", b"x", "text/plain")

    assert local.get("media/heli.mp3") == AUDIO
    assert [o.key for o in local.list()] == ["media/heli.mp3"]


def test_writes_leave_no_temporary_files_and_crash_leftovers_stay_invisible(local: LocalStore) -> None:
    with pytest.raises(InvalidKey):
        local.put("media/heli.mp3/x", b"x", "text/plain")
    local.put("media/other.mp3", b"y", "audio/mpeg")
    assert list((local.root / "tmp").iterdir()) == []

    (local.root / "tmp" / "crashed.part").write_bytes(b"half an obj")  # what a crash mid-write leaves

    assert [o.key for o in local.list()] == ["media/heli.mp3", "media/other.mp3"]
    assert local.get("media/heli.mp3") == AUDIO
