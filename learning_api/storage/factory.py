"""Open the configured store from one URL, so a deployment switches stores by changing a setting.

- ``file://var/objects`` (relative to the working directory) or ``file:///srv/keelerada/objects``
- ``s3://ACCESS:SECRET@host:port/bucket?secure=true&region=us-east-1&public_url=https://media.example``
  Credentials are percent-decoded (encode '/', '@', ':' in a secret). ``secure`` defaults to false for
  a loopback host (a local MinIO/SeaweedFS never has TLS) and true for any other host, so a production
  URL cannot silently send credentials in clear text. ``region`` defaults to us-east-1, which MinIO and
  SeaweedFS use. ``public_url`` is the S3 origin clients reach, when it differs from the one the API talks to.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from learning_api.storage.base import ObjectStore
from learning_api.storage.local import LocalStore
from learning_api.storage.s3 import S3Store

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_S3_OPTIONS = {"secure", "region", "public_url"}
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def open_store(
    url: str, *, public_base_url: str | None = None, signing_secret: str | None = None
) -> ObjectStore:
    """``public_base_url`` (the API's public origin) and ``signing_secret`` serve the local store's
    media URLs; an S3 store presigns with its own credentials and ignores them."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.query or parts.fragment:
            raise ValueError(f"file store URL takes no options: {url!r}")
        path = unquote(parts.netloc + parts.path)
        if not path:
            raise ValueError("file store URL has no folder")
        return LocalStore(
            Path(path).resolve(), signing_secret=signing_secret, public_base_url=public_base_url or ""
        )
    if parts.scheme == "s3":
        return _s3_store(url)
    raise ValueError(f"object store URL must start with file:// or s3://, got {parts.scheme or url!r}")


def _s3_store(url: str) -> S3Store:
    parts = urlsplit(url)
    # Secrets are not echoed in errors: the URL itself is only named by its host.
    if not parts.username or not parts.password:
        raise ValueError(f"S3 store URL for {parts.hostname} needs ACCESS:SECRET@ credentials")
    bucket = parts.path.strip("/")
    if not bucket or "/" in bucket:
        raise ValueError(f"S3 store URL for {parts.hostname} needs exactly one bucket as its path")
    options = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    if unknown := set(options) - _S3_OPTIONS:
        raise ValueError(f"unknown S3 store option(s) {sorted(unknown)}; known: {sorted(_S3_OPTIONS)}")
    host = parts.hostname or ""
    secure = _boolean(options.get("secure"), default=host not in _LOOPBACK)
    public_endpoint, public_secure = None, True
    if public_url := options.get("public_url"):
        public = urlsplit(public_url)
        if public.scheme not in ("http", "https") or not public.netloc or public.path not in ("", "/"):
            raise ValueError(f"public_url must be a bare http(s) origin, got {public_url!r}")
        public_endpoint, public_secure = public.netloc, public.scheme == "https"
    return S3Store(
        parts.netloc.rpartition("@")[2],
        bucket,
        access_key=unquote(parts.username),
        secret_key=unquote(parts.password),
        secure=secure,
        region=options.get("region", "us-east-1"),
        public_endpoint=public_endpoint,
        public_secure=public_secure,
    )


def _boolean(value: str | None, *, default: bool) -> bool:
    if value is None:
        return default
    if value.lower() not in _BOOLEANS:
        raise ValueError(f"secure must be true or false, got {value!r}")
    return _BOOLEANS[value.lower()]
