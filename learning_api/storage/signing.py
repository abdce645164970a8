"""HMAC-signed media URLs for the local folder store.

S3 presigns its own URLs; a folder cannot, so the API serves local objects at
``GET /media/{key}?expires=<unix seconds>&sig=<hmac>`` (and takes uploads at ``PUT`` on the same path)
and these two functions make and check the signature. The key, the expiry and the method are all signed,
so none can be changed without the secret: a download link never lets its holder upload.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote, urlencode

from learning_api.storage.errors import SignatureInvalid

MEDIA_PATH = "/media/"


def _signature(key: str, expires: int, secret: str, method: str = "GET") -> str:
    # GET keeps the message it always had, so download links made before uploads existed stay valid
    message = (f"{expires}\n{key}" if method == "GET" else f"{method}\n{expires}\n{key}").encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _unix_seconds(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime refused: pass an aware UTC datetime")
    return int(moment.timestamp())


def sign_local_url(
    key: str, expires_at: datetime, secret: str, *, base_url: str = "", method: str = "GET"
) -> str:
    """The media URL for ``key``; ``base_url`` is the API's public origin, or empty for a relative URL;
    ``method`` PUT makes an upload URL instead of a download one."""
    if not secret:
        raise ValueError("an empty signing secret would let anyone forge media URLs")
    expires = _unix_seconds(expires_at)
    query = urlencode({"expires": expires, "sig": _signature(key, expires, secret, method)})
    return f"{base_url.rstrip('/')}{MEDIA_PATH}{quote(key, safe='/')}?{query}"


def verify_local_signature(
    key: str, expires: int, sig: str, secret: str, *, now: datetime, method: str = "GET"
) -> None:
    """Raise ``SignatureInvalid`` unless ``sig`` signs (key, expires, method) and ``expires`` is ahead."""
    expected = _signature(key, expires, secret, method).encode()
    if not secret or not hmac.compare_digest(expected, sig.encode()):
        raise SignatureInvalid("media URL signature does not match")
    if expires <= _unix_seconds(now):
        raise SignatureInvalid("media URL has expired")
