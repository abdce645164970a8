"""Object storage for lesson versions and media: one ``ObjectStore`` interface, a folder or any S3.

The app opens the store once in its lifespan with ``open_store(settings.object_store_url, ...)`` and
puts it on ``app.state.store``; ``serve_local_media`` serves the folder store's signed media URLs.
"""

from learning_api.storage.base import MAX_PRESIGN_EXPIRY, ObjectInfo, ObjectStore, ObjectSummary
from learning_api.storage.errors import InvalidKey, ObjectNotFound, SignatureInvalid, StoreUnavailable
from learning_api.storage.factory import open_store
from learning_api.storage.local import LocalStore
from learning_api.storage.s3 import S3Store
from learning_api.storage.signing import sign_local_url, verify_local_signature

__all__ = [
    "MAX_PRESIGN_EXPIRY",
    "InvalidKey",
    "LocalStore",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "ObjectSummary",
    "S3Store",
    "SignatureInvalid",
    "StoreUnavailable",
    "open_store",
    "sign_local_url",
    "verify_local_signature",
]
