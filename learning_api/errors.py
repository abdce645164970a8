"""Domain errors and their one mapping to RFC 9457 problem-details responses.

Services raise these plain exceptions (they know nothing of HTTP); the table below is the only place
that turns them into status codes, so every 4xx has the same shape: type, title, status, detail and,
for bad input, the list of fields with what was wrong.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from learning_api.db.availability import RETRY_AFTER_SECONDS, database_unavailable, one_line
from learning_api.i18n import resolve_language, translator

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    status_code = 400
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra or {}


class InvalidInput(DomainError):
    status_code = 422
    title = "Invalid input"


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Not authenticated"


class PermissionDenied(DomainError):
    status_code = 403
    title = "Permission denied"


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class RateLimited(DomainError):
    status_code = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail, extra={"retry_after_seconds": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds


class ServiceUnavailable(DomainError):
    status_code = 503
    title = "Service unavailable"


def _language(request: Request) -> str:
    """Titles follow the client's Accept-Language (the app sends the learner's instruction language)."""
    return resolve_language(request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip())


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    title = translator(_language(request))(title)
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra)
    headers = {}
    if "retry_after_seconds" in extra:
        headers["Retry-After"] = str(extra["retry_after_seconds"])
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_FIELD_IN_MESSAGE = re.compile(r"(?:missing required|unknown) field `([^`]+)`|- at `\$\.?([^`]+)`")


def field_in_message(message: str) -> str | None:
    """The field a msgspec validation message is about ('… - at `$.a.b`', a missing or unknown field)."""
    found = _FIELD_IN_MESSAGE.search(message)
    return (found.group(1) or found.group(2)) if found else None


def _field_name(key: str | None, source: str | None, message: str) -> str:
    """Litestar names body fields as '$.a.b', or 'data' for the whole body; a client wants the path it sent,
    and for a missing or unknown field that path is only in msgspec's message."""
    name = (key or "").removeprefix("$.").removeprefix("$")
    if name in ("", "data") and (named := field_in_message(message)):
        return named
    return name or (source or "body")


def handle_domain_error(request: Request, exc: DomainError) -> Response[dict[str, Any]]:
    errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
    return problem(request, exc.status_code, exc.title, exc.detail, errors=errors, **exc.extra)


def handle_validation_error(request: Request, exc: ValidationException) -> Response[dict[str, Any]]:
    errors = [
        {
            "field": _field_name(e.get("key"), e.get("source"), str(e.get("message", ""))),
            "message": e.get("message", "invalid"),
        }
        for e in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(e, dict)
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or str(exc.detail)
    return problem(request, 400, "Invalid request", detail, errors=errors or None)


def handle_undecodable_body(request: Request, exc: UnicodeDecodeError) -> Response[dict[str, Any]]:
    return problem(
        request,
        400,
        "Invalid request",
        "the request body is not valid UTF-8 JSON",
        errors=[{"field": "body", "message": str(exc.reason)}],
    )


def handle_http_exception(request: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    if exc.status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        log.error("server error: %s", exc.detail)
    title = str(exc.detail) if exc.detail else "Error"
    return problem(request, exc.status_code, title, str(exc.detail))


def handle_unexpected(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error", exc_info=exc)
    return problem(request, 500, "Internal error", "the server could not complete the request")


def handle_database_error(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """The database down or cut mid-request is the client's cue to retry later, not a server bug."""
    if not database_unavailable(exc):
        return handle_unexpected(request, exc)
    log.warning("database unavailable: %s", one_line(exc))
    return problem(
        request,
        503,
        ServiceUnavailable.title,
        "the database is not reachable right now: try again shortly",
        retry_after_seconds=RETRY_AFTER_SECONDS,
    )


EXCEPTION_HANDLERS = {
    DomainError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_exception,
    UnicodeDecodeError: handle_undecodable_body,
    DBAPIError: handle_database_error,
    SQLAlchemyTimeoutError: handle_database_error,
    ConnectionError: handle_database_error,
    TimeoutError: handle_database_error,
    Exception: handle_unexpected,
}
