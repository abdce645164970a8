"""Both stores behind one fixture, and a way to GET a presigned URL from either."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.datastructures import State
from litestar.testing import AsyncTestClient

from learning_api.errors import EXCEPTION_HANDLERS
from learning_api.settings import Settings
from learning_api.storage import LocalStore, ObjectStore, open_store
from learning_api.storage.controller import serve_local_media, upload_local_media
from tests.fixtures.s3 import S3Server

SECRET = "storage-test-secret"
LOCAL_ORIGIN = "http://testserver.local"  # AsyncTestClient's base URL

Fetch = Callable[[str], Awaitable[httpx.Response]]
Upload = Callable[..., Awaitable[httpx.Response]]


def local_url(folder: Path) -> str:
    return f"file://{folder}"


def media_app(store: ObjectStore) -> Litestar:
    """The smallest app that serves local media the way the real one does."""
    return Litestar(
        route_handlers=[serve_local_media, upload_local_media],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        state=State({"store": store, "settings": Settings(token_secret=SECRET)}),
    )


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A place no store has used yet: a new folder, or a new bucket on the session's S3 server."""
    if request.param == "local":
        return local_url(tmp_path / "objects")
    server: S3Server = request.getfixturevalue("s3_server")
    return server.new_bucket_url()


@pytest.fixture
def store(store_url: str) -> ObjectStore:
    opened = open_store(store_url, public_base_url=LOCAL_ORIGIN, signing_secret=SECRET)
    opened.ensure_bucket()
    return opened


@pytest.fixture
async def fetch(store: ObjectStore) -> AsyncIterator[Fetch]:
    """GET a URL as a client would: S3 over the network, local media through the Litestar handler."""
    if isinstance(store, LocalStore):
        async with AsyncTestClient(app=media_app(store)) as client:
            yield client.get
    else:
        async with httpx.AsyncClient() as client:
            yield client.get


@pytest.fixture
async def upload(store: ObjectStore) -> AsyncIterator[Upload]:
    """PUT to a presigned URL as a client would (``upload(url, content=..., headers=...)``)."""
    if isinstance(store, LocalStore):
        async with AsyncTestClient(app=media_app(store)) as client:
            yield client.put
    else:
        async with httpx.AsyncClient() as client:
            yield client.put
