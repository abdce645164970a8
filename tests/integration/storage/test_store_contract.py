"""The contract every ObjectStore keeps: each test runs on the local folder and on a real S3 server."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from learning_api.errors import InvalidInput
from learning_api.storage import InvalidKey, ObjectNotFound, ObjectStore, StoreUnavailable, open_store
from tests.integration.storage.conftest import SECRET, Fetch, Upload

AUDIO = bytes(range(256)) * 40  # every byte value, so no text decoding can pass unnoticed
BAD_KEYS = ["", "/media/a.mp3", "media/../secret", "..", "./a", "a\\b", "a//b", "media/", "a\x00b", "x" * 256]


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def test_put_then_get_returns_the_bytes_and_stat_the_metadata(store: ObjectStore) -> None:
    written = store.put("media/abc.mp3", AUDIO, "audio/mpeg")

    assert store.get("media/abc.mp3") == AUDIO
    info = store.stat("media/abc.mp3")
    assert info == written
    assert (info.key, info.size, info.content_type, info.etag) == (
        "media/abc.mp3",
        len(AUDIO),
        "audio/mpeg",
        md5(AUDIO),
    )


def test_empty_object_and_non_ascii_key_round_trip(store: ObjectStore) -> None:
    key = "media/õun ja äädikas.txt"
    store.put(key, b"", "text/plain; charset=utf-8")

    assert store.get(key) == b""
    assert store.stat(key).size == 0
    assert store.stat(key).content_type == "text/plain; charset=utf-8"


def test_overwrite_replaces_bytes_and_content_type(store: ObjectStore) -> None:
    store.put("lessons/l1/1/lesson.json", b"{}", "application/json")
    store.put("lessons/l1/1/lesson.json", b"<x/>", "application/xml")

    assert store.get("lessons/l1/1/lesson.json") == b"<x/>"
    assert store.stat("lessons/l1/1/lesson.json").content_type == "application/xml"


def test_exists_and_delete(store: ObjectStore) -> None:
    store.put("media/a.png", b"png", "image/png")
    assert store.exists("media/a.png")
    assert not store.exists("media/b.png")
    assert not store.exists("media")  # a prefix is not an object

    store.delete("media/a.png")
    store.delete("media/a.png")  # deleting what is gone is not an error, as in S3

    assert not store.exists("media/a.png")
    assert list(store.list("media/")) == []


@pytest.mark.parametrize("read", ["get", "stat"])
def test_missing_key_raises_object_not_found_naming_the_key(store: ObjectStore, read: str) -> None:
    with pytest.raises(ObjectNotFound) as caught:
        getattr(store, read)("media/missing.mp3")

    assert caught.value.key == "media/missing.mp3"
    assert "media/missing.mp3" in str(caught.value)


def test_list_yields_keys_in_byte_order_under_the_prefix(store: ObjectStore) -> None:
    keys = ["media/b/2.ogg", "media/a-b.ogg", "media/a/1.ogg", "media/a0.ogg", "media/ab.ogg", "medial.ogg"]
    for i, key in enumerate(keys):
        store.put(key, b"x" * i, "audio/ogg")
    store.put("lessons/l1/1/lesson.json", b"{}", "application/json")

    listed = list(store.list("media/"))

    assert [o.key for o in listed] == sorted(k for k in keys if k.startswith("media/"))
    assert [o.key for o in listed] == [
        "media/a-b.ogg",
        "media/a/1.ogg",
        "media/a0.ogg",
        "media/ab.ogg",
        "media/b/2.ogg",
    ]
    assert {(o.key, o.size, o.etag) for o in listed} == {
        (k, i, md5(b"x" * i)) for i, k in enumerate(keys) if k.startswith("media/")
    }


def test_list_with_partial_prefix_empty_prefix_and_no_match(store: ObjectStore) -> None:
    for key in ["media/ab1", "media/ab2/x", "media/ac", "other"]:
        store.put(key, b"1", "text/plain")

    assert [o.key for o in store.list("media/ab")] == ["media/ab1", "media/ab2/x"]
    assert [o.key for o in store.list()] == ["media/ab1", "media/ab2/x", "media/ac", "other"]
    assert list(store.list("nothing/")) == []


@pytest.mark.parametrize("key", BAD_KEYS)
def test_invalid_keys_are_refused_before_any_io(store: ObjectStore, key: str) -> None:
    for call in (
        lambda: store.put(key, b"x", "text/plain"),
        lambda: store.get(key),
        lambda: store.exists(key),
        lambda: store.delete(key),
        lambda: store.presigned_get_url(key, timedelta(minutes=1)),
    ):
        with pytest.raises(InvalidKey):
            call()


def test_list_refuses_a_prefix_that_climbs_out(store: ObjectStore) -> None:
    with pytest.raises(InvalidKey):
        list(store.list("../"))


@pytest.mark.parametrize("content_type", ["", "text/plain\r\nX-Evil: 1", "täht/x"])
def test_unusable_content_types_are_refused(store: ObjectStore, content_type: str) -> None:
    with pytest.raises(InvalidInput):
        store.put("media/a.txt", b"x", content_type)
    assert not store.exists("media/a.txt")


async def test_presigned_url_downloads_the_object(store: ObjectStore, fetch: Fetch) -> None:
    store.put("media/õun.mp3", AUDIO, "audio/mpeg")

    response = await fetch(store.presigned_get_url("media/õun.mp3", timedelta(minutes=5)))

    assert response.status_code == 200
    assert response.content == AUDIO
    assert response.headers["content-type"] == "audio/mpeg"


async def test_presigned_url_of_a_missing_object_is_404(store: ObjectStore, fetch: Fetch) -> None:
    response = await fetch(store.presigned_get_url("media/nothing.mp3", timedelta(minutes=5)))

    assert response.status_code == 404


async def test_a_presigned_url_for_one_key_does_not_open_another(store: ObjectStore, fetch: Fetch) -> None:
    store.put("media/public.mp3", b"public", "audio/mpeg")
    store.put("media/other.mp3", b"other", "audio/mpeg")
    url = store.presigned_get_url("media/public.mp3", timedelta(minutes=5))

    response = await fetch(url.replace("media/public.mp3", "media/other.mp3"))

    assert response.status_code == 403


async def test_presigned_put_uploads_with_its_content_type(store: ObjectStore, upload: Upload) -> None:
    url = store.presigned_put_url("uploads/vastus.ogg", timedelta(minutes=5))

    response = await upload(url, content=AUDIO, headers={"Content-Type": "audio/ogg"})

    assert response.status_code == 200, response.text
    info = store.stat("uploads/vastus.ogg")
    assert (info.size, info.content_type) == (len(AUDIO), "audio/ogg")
    assert store.get("uploads/vastus.ogg") == AUDIO


async def test_an_upload_url_opens_only_its_key_and_a_download_url_never_uploads(
    store: ObjectStore, upload: Upload
) -> None:
    put_url = store.presigned_put_url("uploads/a.ogg", timedelta(minutes=5))
    get_url = store.presigned_get_url("uploads/b.ogg", timedelta(minutes=5))

    other = await upload(put_url.replace("uploads/a.ogg", "uploads/c.ogg"), content=b"x")
    by_get = await upload(get_url, content=b"x")

    assert (other.status_code, by_get.status_code) == (403, 403)
    assert not store.exists("uploads/c.ogg") and not store.exists("uploads/b.ogg")


@pytest.mark.parametrize("expires", [timedelta(0), timedelta(days=7, seconds=1)])
def test_presign_lifetime_is_bounded_alike(store: ObjectStore, expires: timedelta) -> None:
    with pytest.raises(ValueError, match="between 1 second and 7 days"):
        store.presigned_get_url("media/a.mp3", expires)


def test_ping_and_ensure_bucket_are_repeatable(store: ObjectStore) -> None:
    store.ping()
    store.ensure_bucket()
    store.put("a", b"1", "text/plain")
    store.ensure_bucket()

    assert store.get("a") == b"1"


def test_a_store_whose_bucket_was_never_made_is_unavailable(store_url: str) -> None:
    unmade = open_store(store_url, signing_secret=SECRET)

    with pytest.raises(StoreUnavailable):
        unmade.ping()
    with pytest.raises(StoreUnavailable):
        unmade.put("a", b"1", "text/plain")
    with pytest.raises(StoreUnavailable):
        list(unmade.list())
    with pytest.raises(StoreUnavailable):
        unmade.get("a")
    with pytest.raises(StoreUnavailable):
        unmade.exists("a")
