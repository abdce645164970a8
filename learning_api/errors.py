"""Domain errors and their one mapping to RFC 9457 problem-details responses.

Services raise these plain exceptions (they know nothing of HTTP); the table below is the only place
that turns them into status codes, so every 4xx has the same shape: type, title, status, detail and,
for bad input, the list of fields with what was wrong. ``ProblemDetails`` is that shape, and the
OpenAPI document (``learning_api.openapi``) shows it on every error response.

Titles, details and validation messages are in the caller's language (``learning_api.i18n.language``):
a detail is an English msgid template with named fields, so translators see "no course '{course}'" and
the value is filled in after translating.
"""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from learning_api.db.availability import RETRY_AFTER_SECONDS, database_unavailable, one_line
from learning_api.i18n import negotiate_language, translator
from learning_api.i18n.validation import translate_validation

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldError(msgspec.Struct):
    field: str  # the path the client sent, e.g. "email" or "0.item_id"
    message: str


class LineProblem(msgspec.Struct):
    line: int
    message: str


class ProblemDetails(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details, the body of every 4xx and 5xx answer."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None  # bad input: which fields, and what was wrong with each
    retry_after_seconds: int | None = None  # 429: also sent as the Retry-After header
    problems: list[LineProblem] | None = None  # a lesson upload refused: its problems by line


class DomainError(Exception):
    status_code: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
        **values: Any,
    ) -> None:
        """``detail`` is an English msgid; ``values`` fill its ``{name}`` fields after translation."""
        super().__init__(detail.format(**values) if values else detail)
        self.template = detail
        self.values = values
        self.field = field
        self.extra = extra or {}

    @property
    def detail(self) -> str:
        return str(self)

    def translated(self, lang: str) -> str:
        text = translator(lang)(self.template)
        return text.format(**self.values) if self.values else text


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


def request_language(request: Request) -> str:
    """Accept-Language (Babel's negotiation), else the logged-in user's profile language, else English.

    The profile comes with the user the auth middleware loaded, so an error costs no extra query."""
    state = sa_inspect(request.scope.get("user"), raiseerr=False)
    loaded = state.attrs if state is not None and hasattr(state, "attrs") else None
    profile = loaded.profile.loaded_value if loaded is not None and "profile" in loaded else None
    fallback = getattr(profile, "instruction_language", None)
    return negotiate_language(request.headers.get("accept-language"), fallback)


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    **extra: Any,
) -> Response[ProblemDetails]:
    """``title`` is a msgid; ``detail`` and ``errors`` come already in the caller's language."""
    body = ProblemDetails(
        type="about:blank",
        title=translator(request_language(request))(title),
        status=status,
        detail=detail,
        errors=errors or None,
        **extra,
    )
    headers = {}
    if body.retry_after_seconds is not None:
        headers["Retry-After"] = str(body.retry_after_seconds)
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


def handle_domain_error(request: Request, exc: DomainError) -> Response[ProblemDetails]:
    detail = exc.translated(request_language(request))
    errors = [FieldError(exc.field, detail)] if exc.field else None
    extra = dict(exc.extra)
    if "problems" in extra:
        extra["problems"] = [LineProblem(**p) for p in extra["problems"]]
    return problem(request, exc.status_code, exc.title, detail, errors=errors, **extra)


def handle_validation_error(request: Request, exc: ValidationException) -> Response[ProblemDetails]:
    lang = request_language(request)
    errors = [
        FieldError(
            _field_name(e.get("key"), e.get("source"), str(e.get("message", ""))),
            translate_validation(str(e.get("message", "invalid")), lang),
        )
        for e in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(e, dict)
    ]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or translate_validation(
        str(exc.detail), lang
    )
    return problem(request, 400, "Invalid request", detail, errors=errors)


def handle_undecodable_body(request: Request, exc: UnicodeDecodeError) -> Response[ProblemDetails]:
    lang = request_language(request)
    return problem(
        request,
        400,
        "Invalid request",
        translator(lang)("the request body is not valid UTF-8 JSON"),
        errors=[FieldError("body", str(exc.reason))],
    )


def handle_http_exception(request: Request, exc: HTTPException) -> Response[ProblemDetails]:
    """Litestar's own refusals (unknown route 404, 405, 413 ...): the status phrase as title."""
    if exc.status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        log.error("server error: %s", exc.detail)
    title = str(exc.detail) if exc.detail else "Error"
    return problem(request, exc.status_code, title, translator(request_language(request))(str(exc.detail)))


def handle_unexpected(request: Request, exc: Exception) -> Response[ProblemDetails]:
    log.exception("unhandled error", exc_info=exc)
    detail = translator(request_language(request))("the server could not complete the request")
    return problem(request, 500, "Internal error", detail)


def handle_database_error(request: Request, exc: Exception) -> Response[ProblemDetails]:
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
