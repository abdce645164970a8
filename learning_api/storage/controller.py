"""Serves the local folder store's signed media URLs: what S3 does itself for presigned URLs.

Needs ``app.state.store`` and ``app.state.settings.token_secret`` (both set in the app's lifespan).
Media players seek with Range requests (iOS will not play audio without them), so single byte ranges
are answered with 206 as S3 would. The signed URL is the credential, so the route is public.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import anyio
from litestar import Request, Response, get, put
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery

from learning_api.accounts.auth import PUBLIC
from learning_api.storage.base import MAX_UPLOAD_BYTES, ObjectInfo, ObjectStore, validate_content_type
from learning_api.storage.errors import InvalidKey, ObjectNotFound, SignatureInvalid, StoreUnavailable
from learning_api.storage.signing import verify_local_signature

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _read(store: ObjectStore, key: str) -> tuple[ObjectInfo, bytes]:
    return store.stat(key), store.get(key)


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive for one satisfiable range; None when it cannot be served (416)."""
    match = _RANGE.fullmatch(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # "bytes=-N": the last N bytes
        return (max(size - int(last), 0), size - 1) if int(last) and size else None
    start, end = int(first), min(int(last) if last else size - 1, size - 1)
    return (start, end) if start <= end else None


@get(
    "/media/{key:path}",
    operation_id="getLocalMedia",
    tags=["media"],
    opt=PUBLIC,
    raises=[SignatureInvalid, ObjectNotFound, InvalidKey, StoreUnavailable],
    media_type="application/octet-stream",
    responses={
        206: ResponseSpec(
            bytes,
            description="The one byte range asked for.",
            media_type="application/octet-stream",
            generate_examples=False,
        ),
        416: ResponseSpec(None, description="The range cannot be served (Content-Range names the size)."),
    },
)
async def serve_local_media(
    request: Request[Any, Any, Any], key: FromPath[str], expires: FromQuery[int], sig: FromQuery[str]
) -> Response[bytes]:
    """Download media by a signed URL

    What presigned S3 URLs do, for the local folder store: the signature and expiry in the query are
    the credential. Single byte ranges get 206 (media players seek with them).
    """
    key = key.lstrip("/")
    now = datetime.now(UTC)
    verify_local_signature(key, expires, sig, request.app.state.settings.token_secret, now=now)
    info, data = await anyio.to_thread.run_sync(_read, request.app.state.store, key)
    headers = {
        "ETag": f'"{info.etag}"',
        "Accept-Ranges": "bytes",
        "Cache-Control": f"private, max-age={max(expires - int(now.timestamp()), 0)}",
        # The content type is author-supplied: never let a browser run it as a page on our origin.
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    range_header = request.headers.get("range")
    if range_header is None:
        return Response(data, media_type=info.content_type, headers=headers)
    span = _byte_range(range_header, len(data))
    if span is None:
        headers["Content-Range"] = f"bytes */{len(data)}"
        return Response(b"", status_code=416, media_type=info.content_type, headers=headers)
    first, last = span
    headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
    return Response(data[first : last + 1], status_code=206, media_type=info.content_type, headers=headers)


@put(
    "/media/{key:path}",
    operation_id="putLocalMedia",
    tags=["media"],
    opt=PUBLIC,
    raises=[SignatureInvalid, InvalidKey, StoreUnavailable],
    request_max_body_size=MAX_UPLOAD_BYTES,
    status_code=200,
)
async def upload_local_media(
    request: Request[Any, Any, Any], key: FromPath[str], expires: FromQuery[int], sig: FromQuery[str]
) -> Response[None]:
    """Upload media by a signed URL

    What presigned S3 PUT URLs do, for the local folder store: the body is stored under the signed key
    with the request's Content-Type. Whoever handed the URL out checks the object afterwards.
    """
    key = key.lstrip("/")
    verify_local_signature(
        key, expires, sig, request.app.state.settings.token_secret, now=datetime.now(UTC), method="PUT"
    )
    content_type = validate_content_type(request.headers.get("content-type") or "application/octet-stream")
    body = await request.body()
    info = await anyio.to_thread.run_sync(request.app.state.store.put, key, body, content_type)
    return Response(None, headers={"ETag": f'"{info.etag}"'})
