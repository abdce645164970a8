"""The OpenAPI document, made to say what the API really does.

Litestar writes the success schemas from the handlers' types; this module adds what it cannot see:

* the errors each operation can give, all as ``ProblemDetails`` (``application/problem+json``), derived
  from the handler itself — 401 unless it is public, 403 when a guard leaves some role out, 400 when it
  takes parameters or a body, 413 with a body, 503 when it reads the database — plus the domain errors
  its services raise, which the handler names with Litestar's ``raises=[NotFound, ...]``;
* the bearer requirement on every operation except the public ones;
* a summary and a description from the handler's docstring (first line, then the rest);
* Swagger UI served from the app's own files (the PyPI package ``swagger-ui-bundle-v2``), so the docs
  work without internet; the CDN-backed viewers are not offered.
"""

from __future__ import annotations

from inspect import cleandoc
from typing import TYPE_CHECKING, Any, get_args, get_origin, get_type_hints

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    Example,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
    SecurityScheme,
)
from litestar.plugins import OpenAPISchemaPlugin
from litestar.routes import HTTPRoute
from litestar.static_files import create_static_files_router
from litestar.typing import FieldDefinition
from litestar.utils.helpers import unwrap_partial
from swagger_ui_bundle import swagger_ui_path

from learning_api.accounts.schemas import Role
from learning_api.api_version import API_VERSION
from learning_api.errors import PROBLEM_JSON, FieldError, ProblemDetails
from learning_api.pagination import Page

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator

SCHEMA_PATH = "/schema"
ASSETS_PATH = f"{SCHEMA_PATH}/assets"
ROLES = frozenset(get_args(Role))
BEARER = "bearer"
# what the handler's signature may take that is no client input
_INJECTED = {"request", "state", "scope", "db_session", "now", "socket", "headers", "cookies"}

_ERRORS: dict[int, tuple[str, str, str]] = {
    400: (
        "The request does not fit the schema: `errors` names each field and what is wrong with it.",
        "Invalid request",
        "email: must be at most 320 long",
    ),
    401: (
        "No valid bearer token: log in at /auth/login.",
        "Not authenticated",
        "the token is unknown or expired: log in again",
    ),
    403: ("The caller's role may not do this.", "Permission denied", "this needs the role admin or teacher"),
    404: ("What the path names does not exist (or is not the caller's).", "Not found", "no such class"),
    409: (
        "The request conflicts with the current state.",
        "Conflict",
        "an account with this email exists already",
    ),
    413: (
        "The body is larger than KEELERADA_MAX_BODY_BYTES.",
        "Request Entity Too Large",
        "Request Entity Too Large",
    ),
    422: (
        "Well-formed input that breaks a rule of the service: `errors` names the field.",
        "Invalid input",
        "the due date must lie in the future",
    ),
    429: (
        "Too many attempts: wait `retry_after_seconds` (also the Retry-After header).",
        "Too many requests",
        "too many failed log-ins: wait and try again",
    ),
    503: (
        "The database or the object store is unavailable; try again later.",
        "Service unavailable",
        "the database is unavailable",
    ),
}


def _error_spec(status: int) -> ResponseSpec:
    description, title, detail = _ERRORS[status]
    example = ProblemDetails("about:blank", title, status, detail)
    if status in (400, 422):
        example.errors = [FieldError("email" if status == 400 else "due_at", detail.rpartition(": ")[2])]
    if status == 429:
        example.retry_after_seconds = 120
    return ResponseSpec(
        data_container=ProblemDetails,
        description=description,
        media_type=PROBLEM_JSON,
        generate_examples=False,
        examples=[Example(summary=title, value=msgspec.to_builtins(example))],
    )


def openapi_config(version: str) -> OpenAPIConfig:
    swagger = SwaggerRenderPlugin(
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
        path=["/", "/swagger"],
    )
    return OpenAPIConfig(
        title="Keelerada API",
        version=version,
        description=(
            "Adaptive self-study of Estonian, A1 to tasemeeksam readiness. Log in at `POST /auth/login` and "
            "send `Authorization: Bearer <token>`. "
            f"Contract version {API_VERSION}: every response carries `API-Version: {API_VERSION}`. "
            "Lists page with `limit`/`offset` and answer `{items, limit, offset, next_offset}`. "
            "Catalog documents carry an ETag (send If-None-Match for a 304); a lesson's versioned URL "
            "is immutable. Responses are brotli- or gzip-compressed when the client accepts it. "
            "Every error is an RFC 9457 problem (`application/problem+json`, `ProblemDetails`) in the "
            "language of `Accept-Language`, else the learner's profile language, else English."
        ),
        path=SCHEMA_PATH,
        components=Components(security_schemes={BEARER: SecurityScheme(type="http", scheme="bearer")}),
        render_plugins=[swagger],
    )


def docs_assets_router() -> Any:
    """The Swagger UI files, under /schema (public like the document itself)."""
    return create_static_files_router(
        path=ASSETS_PATH, directories=[swagger_ui_path], include_in_schema=False, name="docs-assets"
    )


def _is_public(handler: HTTPRouteHandler) -> bool:
    return bool(handler.opt.get("exclude_from_auth"))


def _shuts_out_a_role(handler: HTTPRouteHandler) -> bool:
    """Role guards (``requires_role``) carry the roles they let through."""
    for layer in handler.ownership_layers:
        for guard in layer.guards or []:
            if not getattr(guard, "roles", ROLES) >= ROLES:
                return True
    return False


def _takes_client_input(handler: HTTPRouteHandler) -> bool:
    """A parameter, a body, or a dependency that reads the query (paging)."""
    dependencies = handler.resolve_dependencies()
    seen: set[str] = set()
    names = list(handler.parsed_fn_signature.parameters)
    while names:
        name = names.pop()
        if name in seen or name in _INJECTED:
            continue
        seen.add(name)
        if name not in dependencies:
            return True
        names.extend(dependencies[name].parsed_fn_signature.parameters)
    return False


def _error_statuses(handler: HTTPRouteHandler, path_parameters: bool) -> set[int]:
    signature = handler.parsed_fn_signature.parameters
    statuses = {exc.status_code for exc in handler.raises or []}
    if path_parameters or _takes_client_input(handler):
        statuses.add(400)
    if "data" in signature:
        statuses.add(413)
    if not _is_public(handler):
        statuses |= {401, 503}  # the token is looked up in the database
    if "db_session" in signature:
        statuses.add(503)
    if _shuts_out_a_role(handler):
        statuses.add(403)
    return statuses


def _describe(handler: HTTPRouteHandler) -> None:
    """Summary = the docstring's first line; description = the rest (or the summary when there is none)."""
    doc = cleandoc(unwrap_partial(handler.fn).__doc__ or "")
    first, _, rest = doc.partition("\n")
    if handler.summary is None and first:
        handler.summary = first.strip().rstrip(".")
    if handler.description is None and doc:
        handler.description = rest.strip() or first.strip()


def document_operations(app: Litestar) -> None:
    """Fill in errors, security and texts on every documented handler (before the document is built)."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            statuses = _error_statuses(handler, bool(route.path_parameters))
            handler.raises = None  # documented below as problem details, not in Litestar's own shape
            handler.responses = {
                **{status: _error_spec(status) for status in sorted(statuses)},
                **(handler.responses or {}),
            }
            if not _is_public(handler):
                handler.security = [{BEARER: []}]
            _describe(handler)


def report_responses(schema: type) -> ResponseSpec:
    """The 200 of a report route: ``schema`` as JSON; ``WithCsvAlternative`` adds the CSV."""
    return ResponseSpec(
        schema, description="The report (JSON, or CSV with format=csv).", generate_examples=False
    )


class WithCsvAlternative(Operation):
    """An operation whose 200 is JSON, or the same rows as CSV with ``?format=csv``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            ok.content["text/csv"] = OpenAPIMediaType(
                schema=Schema(type=OpenAPIType.STRING, description="a header row, then one row per learner")
            )


class PageSchemaPlugin(OpenAPISchemaPlugin):
    """Pages (``class CoursePage(Page[CourseOut])``) with their item type filled in.

    Litestar reads a generic struct's annotations unresolved, so ``items`` would be documented as a list of
    untyped objects; here the type variables are bound from the subclass's generic base."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return not field_definition.is_union and field_definition.is_subclass_of(Page)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        page = field_definition.type_
        base = next(b for b in getattr(page, "__orig_bases__", ()) if get_origin(b) is Page)
        bound = dict(zip(Page.__parameters__, get_args(base), strict=True))
        properties = {}
        for name, hint in get_type_hints(page).items():
            if name not in page.__struct_fields__:
                continue
            variables = getattr(hint, "__parameters__", ())
            resolved = hint[tuple(bound[v] for v in variables)] if variables else hint
            properties[name] = FieldDefinition.from_annotation(resolved, name=name)
        return schema_creator.create_component_schema(
            field_definition, required=sorted(page.__struct_fields__), property_fields=properties
        )
