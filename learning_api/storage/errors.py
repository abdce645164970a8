"""Storage failures as domain errors.

They subclass the app's ``DomainError`` family so the one problem-details table maps them to HTTP
(404, 422, 403, 503) while the stores themselves stay free of any web code.
"""

from __future__ import annotations

from learning_api.errors import InvalidInput, NotFound, PermissionDenied, ServiceUnavailable


class ObjectNotFound(NotFound):
    def __init__(self, key: str) -> None:
        super().__init__(f"object {key!r} not found")
        self.key = key


class InvalidKey(InvalidInput):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"invalid object key {key!r}: {reason}", field="key")
        self.key = key
        self.reason = reason


class StoreUnavailable(ServiceUnavailable):
    """The store cannot be reached, refuses our credentials, or lacks its bucket: not the caller's fault."""


class SignatureInvalid(PermissionDenied):
    """A local media URL whose signature does not match or whose lifetime is over."""
