"""The object store on any S3 server (MinIO, SeaweedFS, AWS) through the minio SDK."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from datetime import timedelta

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from learning_api.storage.base import (
    ObjectInfo,
    ObjectSummary,
    validate_content_type,
    validate_expiry,
    validate_key,
    validate_prefix,
)
from learning_api.storage.errors import ObjectNotFound, StoreUnavailable

_REFUSED = {"AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidToken", "ExpiredToken"}


def s3_client(endpoint: str, access_key: str, secret_key: str, *, secure: bool, region: str) -> Minio:
    """A client that gives up within seconds, not minio's default minutes.

    A readiness probe or a request must learn that the store is down while it can still answer; the
    minio default (5-minute timeouts, 5 retries) would hang the worker instead. Passing the region
    also spares presigning a network round trip to discover it.
    """
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=3.0, read=30.0),
        retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
        maxsize=16,
    )
    return Minio(
        endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region, http_client=http
    )


class S3Store:
    def __init__(
        self,
        endpoint: str,
        bucket: str,
        *,
        access_key: str,
        secret_key: str,
        secure: bool = True,
        region: str = "us-east-1",
        public_endpoint: str | None = None,
        public_secure: bool = True,
    ) -> None:
        """``public_endpoint`` is the host clients reach (say a CDN name) when it differs from ours, so
        presigned URLs are signed for it; building clients opens no connection."""
        self.endpoint = endpoint
        self.bucket = bucket
        self.client = s3_client(endpoint, access_key, secret_key, secure=secure, region=region)
        self.presign_client = (
            s3_client(public_endpoint, access_key, secret_key, secure=public_secure, region=region)
            if public_endpoint
            else self.client
        )

    def __repr__(self) -> str:
        return f"S3Store({self.endpoint!r}, bucket={self.bucket!r})"

    @contextlib.contextmanager
    def _errors(self, key: str | None = None) -> Iterator[None]:
        """Turn SDK and network failures into the two domain errors callers can act on."""
        where = f"S3 bucket {self.bucket!r} at {self.endpoint}"
        try:
            yield
        except S3Error as exc:
            if exc.code == "NoSuchKey" and key is not None:
                raise ObjectNotFound(key) from exc
            if exc.code == "NoSuchBucket":
                raise StoreUnavailable(f"{where} does not exist") from exc
            if exc.code in _REFUSED:
                raise StoreUnavailable(f"{where} refused our credentials ({exc.code})") from exc
            raise StoreUnavailable(f"{where} failed: {exc.code}: {exc.message}") from exc
        except (MinioException, urllib3.exceptions.HTTPError) as exc:
            raise StoreUnavailable(f"{where} is unreachable: {exc}") from exc

    def ensure_bucket(self) -> None:
        with self._errors():
            if not self.client.bucket_exists(self.bucket):
                try:
                    self.client.make_bucket(self.bucket)
                except S3Error as exc:  # another worker may have just made it
                    if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise

    def ping(self) -> None:
        with self._errors():
            found = self.client.bucket_exists(self.bucket)
        if not found:
            raise StoreUnavailable(f"S3 bucket {self.bucket!r} does not exist")

    def put(self, key: str, data: bytes, content_type: str) -> ObjectInfo:
        validate_key(key)
        validate_content_type(content_type)
        with self._errors(key):
            result = self.client.put_object(
                self.bucket, key, io.BytesIO(data), len(data), content_type=content_type
            )
        return ObjectInfo(key, len(data), content_type, (result.etag or "").strip('"'))

    def get(self, key: str) -> bytes:
        validate_key(key)
        with self._errors(key):
            response = self.client.get_object(self.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

    def stat(self, key: str) -> ObjectInfo:
        validate_key(key)
        try:
            with self._errors(key):
                found = self.client.stat_object(self.bucket, key)
        except ObjectNotFound:
            # A HEAD reply has no body, so S3 cannot say whether the key or the bucket is missing.
            self.ping()
            raise
        content_type = found.content_type or "application/octet-stream"
        return ObjectInfo(key, found.size or 0, content_type, (found.etag or "").strip('"'))

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except ObjectNotFound:
            return False
        return True

    def list(self, prefix: str = "") -> Iterator[ObjectSummary]:
        """Sorted here because SeaweedFS lists a folder's keys before its sibling 'a-b' keys, unlike S3."""
        validate_prefix(prefix)
        with self._errors():
            found = [
                ObjectSummary(o.object_name or "", o.size or 0, (o.etag or "").strip('"'))
                for o in self.client.list_objects(self.bucket, prefix=prefix or None, recursive=True)
            ]
        yield from sorted(found, key=lambda o: o.key)

    def delete(self, key: str) -> None:
        validate_key(key)
        with self._errors(key):
            self.client.remove_object(self.bucket, key)

    def presigned_get_url(self, key: str, expires: timedelta) -> str:
        validate_key(key)
        with self._errors(key):
            return self.presign_client.presigned_get_object(
                self.bucket, key, expires=validate_expiry(expires)
            )

    def presigned_put_url(self, key: str, expires: timedelta) -> str:
        validate_key(key)
        with self._errors(key):
            return self.presign_client.presigned_put_object(
                self.bucket, key, expires=validate_expiry(expires)
            )
