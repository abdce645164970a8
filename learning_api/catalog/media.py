"""Stable media links for the catalog's cacheable documents.

A lesson document is cached by the app (a published version forever), but a presigned URL expires within
the hour. So catalog documents link media as ``/catalog/media/<sha256>.<ext>``: the name is the content
hash the compiler gave the object, so the link never changes, and this route answers it with a redirect to
a fresh presigned URL (S3, or the local store's signed ``/media/...``). Audio and image players follow
redirects and send no bearer token, so the route is public: knowing the name means knowing the bytes'
hash, and course media are open to every account anyway. Study sessions, which are never cached, keep
handing out presigned URLs directly (one hop fewer).
"""

from __future__ import annotations

import re
from typing import Any

import anyio
from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.status_codes import HTTP_307_TEMPORARY_REDIRECT

from learning_api.accounts.auth import PUBLIC
from learning_api.errors import NotFound, ServiceUnavailable

MEDIA_PREFIX = "media/"
_NAME = re.compile(r"[0-9a-f]{64}\.[a-z0-9]{1,8}")


def media_link(key: str, base_url: str = "") -> str:
    """The stable link of a compiled media key (``media/<sha256>.<ext>``); relative without a base URL."""
    return f"{base_url.rstrip('/')}/catalog/media/{key.removeprefix(MEDIA_PREFIX)}"


@get(
    "/catalog/media/{name:str}",
    operation_id="getCatalogMedia",
    summary="Media of a published exercise, by content hash",
    description="Redirects (307) to a presigned URL of the object; no token needed.",
    tags=["catalog"],
    opt=PUBLIC,
    security=[],
    raises=[NotFound, ServiceUnavailable],
    status_code=HTTP_307_TEMPORARY_REDIRECT,
)
async def catalog_media(request: Request[Any, Any, Any], name: FromPath[str]) -> Redirect:
    if not _NAME.fullmatch(name):
        raise NotFound("no such media: names are <sha256>.<extension>", field="name")
    ttl = request.app.state.settings.media_url_ttl
    url = await anyio.to_thread.run_sync(request.app.state.store.presigned_get_url, MEDIA_PREFIX + name, ttl)
    # The redirect itself may be reused while the URL it points at is still fresh for a while.
    max_age = int(ttl.total_seconds()) // 2
    return Redirect(
        url, status_code=HTTP_307_TEMPORARY_REDIRECT, headers={"Cache-Control": f"private, max-age={max_age}"}
    )
