"""HTTP caching of documents: a weak ETag over the encoded body, ``304 Not Modified`` when the client's
``If-None-Match`` names it, and the Cache-Control the caller chooses.

Weak ETags because compression (gzip/brotli) changes the bytes on the wire but not the document. Every
response here is per account (exercise order is shuffled per learner), so caches are always ``private``.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_304_NOT_MODIFIED

IMMUTABLE = "private, max-age=31536000, immutable"
"""A versioned document never changes: the app keeps it and never asks again."""
REVALIDATE = "private, no-cache"
"""May change (a new version published): the app keeps it but asks with If-None-Match each time."""

NOT_MODIFIED = {
    HTTP_304_NOT_MODIFIED: ResponseSpec(
        data_container=None, description="Not modified: the copy named by If-None-Match is current"
    )
}


def etag_of(body: bytes) -> str:
    return f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


def cached(request: Request[Any, Any, Any], content: Any, cache_control: str) -> Response[Any]:
    """``content`` as JSON with its ETag, or an empty 304 when the client already holds this body."""
    body = msgspec.json.encode(content)
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(content=b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)
