"""What only the S3 store can get wrong: credentials, reachability and the public endpoint."""

from __future__ import annotations

import socket
from datetime import timedelta

import httpx
import pytest

from learning_api.storage import StoreUnavailable, open_store
from tests.fixtures.s3 import S3Server

pytestmark = pytest.mark.s3


def test_a_wrong_secret_is_refused_with_a_clear_error(s3_server: S3Server) -> None:
    store = open_store(s3_server.bucket_url(s3_server.bucket, secret_key="not-the-secret"))

    with pytest.raises(StoreUnavailable, match="refused our credentials"):
        store.ping()
    with pytest.raises(StoreUnavailable, match="refused our credentials"):
        store.put("media/a.txt", b"1", "text/plain")


def test_objects_are_not_readable_without_a_signature(s3_server: S3Server) -> None:
    store = open_store(s3_server.url)
    store.put("media/private.txt", b"the hidden body", "text/plain")

    response = httpx.get(f"http://{s3_server.endpoint}/{s3_server.bucket}/media/private.txt")

    assert response.status_code == 403
    assert b"the hidden body" not in response.content


def test_an_unreachable_endpoint_is_unavailable_not_a_hang() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago has no server behind it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = open_store(f"s3://key:secret@127.0.0.1:{port}/keelerada-content")

    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.ping()


def test_presigned_urls_are_signed_for_the_public_endpoint(s3_server: S3Server) -> None:
    port = s3_server.endpoint.rpartition(":")[2]
    store = open_store(f"{s3_server.url}&public_url=http://localhost:{port}")
    store.put("media/kass.jpg", b"\xff\xd8jpeg", "image/jpeg")

    url = store.presigned_get_url("media/kass.jpg", timedelta(minutes=5))
    response = httpx.get(url)

    assert url.startswith(f"http://localhost:{port}/{s3_server.bucket}/media/kass.jpg?")
    assert (response.status_code, response.content) == (200, b"\xff\xd8jpeg")
