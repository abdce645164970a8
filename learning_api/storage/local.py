"""The object store as a local folder: the default for development and single-machine installs.

Layout under the root: ``data/<key>`` holds each object, ``tmp/`` holds writes in progress. An object
file starts with one JSON line (content type and etag) followed by the raw bytes. Keeping the metadata
inside the object's own file means one ``os.replace`` publishes bytes and content type together: a
crash leaves the old object or the new one, never a half-written file, a sidecar without its object,
or a new body under an old content type; and a listing has no sidecars to filter out.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from learning_api.storage.base import (
    ObjectInfo,
    ObjectSummary,
    validate_content_type,
    validate_expiry,
    validate_key,
    validate_prefix,
)
from learning_api.storage.errors import InvalidKey, ObjectNotFound, StoreUnavailable
from learning_api.storage.signing import sign_local_url

_MISSING = (FileNotFoundError, NotADirectoryError, IsADirectoryError)


class LocalStore:
    def __init__(self, root: Path, *, signing_secret: str | None = None, public_base_url: str = "") -> None:
        self.root = root
        self.signing_secret = signing_secret
        self.public_base_url = public_base_url
        self._data = root / "data"
        self._tmp = root / "tmp"

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r})"

    def ensure_bucket(self) -> None:
        self._data.mkdir(parents=True, exist_ok=True)
        self._tmp.mkdir(parents=True, exist_ok=True)

    def ping(self) -> None:
        for folder in (self._data, self._tmp):
            if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
                raise StoreUnavailable(f"object folder {folder} is missing or not writable")

    def _path(self, key: str) -> Path:
        return self._data.joinpath(*validate_key(key).split("/"))

    def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo:
        target = self._path(key)
        info = ObjectInfo(key, len(data), validate_content_type(content_type), _md5(data))
        header = json.dumps({"content_type": info.content_type, "etag": info.etag}).encode() + b"\n"
        try:
            fd, tmp_name = tempfile.mkstemp(dir=self._tmp, suffix=".part")
        except FileNotFoundError as exc:
            raise StoreUnavailable(f"object folder {self.root} is not set up (ensure_bucket)") from exc
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(header)
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, target)
        except (FileExistsError, NotADirectoryError) as exc:
            raise InvalidKey(key, "a parent of this key is itself an object") from exc
        except IsADirectoryError as exc:
            raise InvalidKey(key, "this key is a prefix of other objects") from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        _fsync_dir(target.parent)
        return info

    def _not_found(self, key: str) -> Exception:
        """A missing object, unless the whole folder is missing: then the store itself is not there,
        which is what S3 says for a missing bucket."""
        if not self._data.is_dir():
            return StoreUnavailable(f"object folder {self._data} does not exist (ensure_bucket)")
        return ObjectNotFound(key)

    def get(self, key: str) -> bytes:
        try:
            with self._path(key).open("rb") as f:
                f.readline()
                return f.read()
        except _MISSING as exc:
            raise self._not_found(key) from exc

    def stat(self, key: str) -> ObjectInfo:
        path = self._path(key)
        try:
            with path.open("rb") as f:
                header = f.readline()
                size = os.fstat(f.fileno()).st_size - len(header)
        except _MISSING as exc:
            raise self._not_found(key) from exc
        meta = json.loads(header)
        return ObjectInfo(key, size, meta["content_type"], meta["etag"])

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except ObjectNotFound:
            return False
        return True

    def list(self, prefix: str = "") -> Iterator[ObjectSummary]:
        head, _, partial = validate_prefix(prefix).rpartition("/")
        start = self._data.joinpath(*head.split("/")) if head else self._data
        if not self._data.is_dir():
            raise StoreUnavailable(f"object folder {self._data} does not exist (ensure_bucket)")
        if start.is_dir():
            yield from self._walk(start, f"{head}/" if head else "", partial)

    def _walk(self, folder: Path, key_prefix: str, partial: str) -> Iterator[ObjectSummary]:
        """Depth-first in key order: a folder sorts as its name plus '/', exactly where S3 puts its keys."""
        with os.scandir(folder) as scan:
            entries = [e for e in scan if e.name.startswith(partial)]
        entries.sort(key=lambda e: e.name + "/" if e.is_dir() else e.name)
        for entry in entries:
            if entry.is_dir():
                yield from self._walk(Path(entry.path), f"{key_prefix}{entry.name}/", "")
                continue
            try:
                info = self.stat(key_prefix + entry.name)
            except ObjectNotFound:  # deleted while we were listing
                continue
            yield ObjectSummary(info.key, info.size, info.etag)

    def delete(self, key: str) -> None:
        with contextlib.suppress(*_MISSING):
            self._path(key).unlink()

    def presigned_get_url(self, key: str, expires: timedelta) -> str:
        validate_key(key)
        if not self.signing_secret:
            raise ValueError("LocalStore needs a signing secret to make media URLs")
        expires_at = datetime.now(UTC) + validate_expiry(expires)
        return sign_local_url(key, expires_at, self.signing_secret, base_url=self.public_base_url)

    def presigned_put_url(self, key: str, expires: timedelta) -> str:
        """Answered by ``PUT /media/{key}`` (storage.controller), signed for PUT only."""
        validate_key(key)
        if not self.signing_secret:
            raise ValueError("LocalStore needs a signing secret to make upload URLs")
        expires_at = datetime.now(UTC) + validate_expiry(expires)
        return sign_local_url(
            key, expires_at, self.signing_secret, base_url=self.public_base_url, method="PUT"
        )


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable, so a power cut cannot undo a put that already returned."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
