"""The one object-store interface, its value types and the key rules every store enforces.

The interface is synchronous on purpose: the minio SDK is blocking and so is file I/O, so an async
facade would only hide a thread hop inside each method. Async callers (the web layer) wrap a call in
``anyio.to_thread.run_sync``; scripts call it directly. One interface, no sync/async twins.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from learning_api.errors import InvalidInput
from learning_api.storage.errors import InvalidKey

MAX_KEY_BYTES = 1024  # S3's limit
MAX_SEGMENT_BYTES = 255  # a file name on common filesystems; applied to S3 too so both stores agree
MAX_PRESIGN_EXPIRY = timedelta(days=7)  # the SigV4 ceiling, applied to local URLs too
# the most one presigned upload to the local store may carry (S3 has its own limits); callers that
# hand out upload URLs check the object's real size after the upload against their own, smaller limit
MAX_UPLOAD_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """What ``stat`` knows; ``etag`` is the hex MD5 of the bytes for single-part uploads on both stores."""

    key: str
    size: int
    content_type: str
    etag: str


@dataclass(frozen=True, slots=True)
class ObjectSummary:
    """One ``list`` entry. No content type: S3 listings do not carry it, and fetching it per key would
    turn one listing request into N."""

    key: str
    size: int
    etag: str


class ObjectStore(Protocol):
    def ensure_bucket(self) -> None:
        """Create the bucket (or folder) if missing; safe to call at every start."""

    def ping(self) -> None:
        """Readiness check: raise ``StoreUnavailable`` unless the bucket is reachable with our credentials."""

    def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo:
        """Store ``data`` under ``key`` atomically: readers see the old object or the new, never a mix."""

    def get(self, key: str) -> bytes: ...

    def stat(self, key: str) -> ObjectInfo: ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str = "") -> Iterator[ObjectSummary]:
        """Objects whose key starts with ``prefix``, in ascending key (UTF-8 byte) order."""

    def delete(self, key: str) -> None:
        """Remove ``key``; deleting a missing key is not an error (as in S3)."""

    def presigned_get_url(self, key: str, expires: timedelta) -> str:
        """A URL that lets anyone holding it GET the object until ``expires`` from now."""

    def presigned_put_url(self, key: str, expires: timedelta) -> str:
        """A URL that lets anyone holding it PUT the object's bytes (with a Content-Type header) until
        ``expires`` from now. Neither store can bind the size or type into it: whoever hands one out
        checks the object after the upload (``stat``, then the bytes)."""


def _check_text(value: str, what: str) -> None:
    if "\\" in value:
        raise InvalidKey(value, f"{what} must not contain a backslash")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidKey(value, f"{what} must not contain control characters")
    if value.startswith("/"):
        raise InvalidKey(value, f"{what} must not start with '/'")
    for segment in value.split("/"):
        if segment in (".", ".."):
            raise InvalidKey(value, f"{what} must not contain '.' or '..' segments")
        if len(segment.encode()) > MAX_SEGMENT_BYTES:
            raise InvalidKey(value, f"a {what} segment is longer than {MAX_SEGMENT_BYTES} bytes")


def validate_key(key: str) -> str:
    """Refuse keys that could escape the local root or mean different things to the two stores."""
    if not key:
        raise InvalidKey(key, "key is empty")
    if len(key.encode()) > MAX_KEY_BYTES:
        raise InvalidKey(key, f"key is longer than {MAX_KEY_BYTES} bytes")
    _check_text(key, "key")
    if key.endswith("/") or "//" in key:
        raise InvalidKey(key, "key must not have empty segments")
    return key


def validate_prefix(prefix: str) -> str:
    """A prefix may be empty or end in '/', and may stop mid-segment; otherwise the key rules apply."""
    if prefix:
        _check_text(prefix, "prefix")
        if "//" in prefix:
            raise InvalidKey(prefix, "prefix must not have empty segments")
    return prefix


def validate_content_type(content_type: str) -> str:
    """A header value both stores can keep verbatim: printable ASCII, like 'audio/mpeg'."""
    if not content_type or len(content_type) > 255 or not all(" " <= ch <= "~" for ch in content_type):
        raise InvalidInput(f"content type {content_type!r} is not a printable ASCII header value")
    return content_type


def validate_expiry(expires: timedelta) -> timedelta:
    if not timedelta(seconds=1) <= expires <= MAX_PRESIGN_EXPIRY:
        raise ValueError(f"presigned URL lifetime must be between 1 second and 7 days, got {expires}")
    return expires
