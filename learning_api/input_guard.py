"""Input that every route refuses the same way, checked once, before the token is looked at and before a
handler sees it: a NUL character in the path, the query or any JSON string (or key), and JSON nested
deeper than any of our bodies is.

NUL: PostgreSQL cannot store U+0000 in text, so such a value fails at the database (a 500, and an offline
batch holding one could never be stored: the client would retry it forever); no real input contains one.
Depth: decoding and converting nested JSON recurses; refusing it here, from the decoded value walked
without recursion (msgspec itself stops at Python's recursion limit), keeps that off every later step.

A route whose JSON array body is a batch validated entry by entry (rejected entries come back with their
index, the rest are stored) says so with ``opt=PER_ENTRY``: a NUL inside its entries is left to it.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.exceptions import SerializationException, ValidationException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

MAX_DEPTH = 32
NUL = "\x00"
PER_ENTRY = {"entries_validated_per_entry": True}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CONTAINERS = (dict, list)
NUL_MESSAGE = "contains a NUL character (U+0000), which no field accepts"


def bad_input(field: str, message: str) -> ValidationException:
    """The same 400 problem body Litestar's own validation gives: ``errors: [{field, message}]``."""
    return ValidationException(f"{field}: {message}", extra=[{"key": field, "message": message}])


def holds_nul(value: Any) -> bool:
    """Whether any string or key of a decoded JSON value holds a NUL: its JSON encoding, made in C, writes
    each one as the escape ``\\u0000`` (an escaped backslash before "u0000" may say yes wrongly: then the
    walk of `nul_field` decides)."""
    return b"\\u0000" in msgspec.json.encode(value)


def nul_field(value: Any, prefix: str = "") -> str | None:
    """The path (``answers[2].response``) of a string or key holding a NUL, or None. Walks iteratively,
    and only values that may hold one (`holds_nul`)."""
    if not holds_nul(value):
        return None
    stack: list[tuple[str, Any]] = [(prefix, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return path or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if NUL in str(key):
                    return child_path
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{k}]", child) for k, child in enumerate(item))
    return None


def depth_of(value: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of a decoded JSON value, counted without recursion; stops once past ``limit``."""
    if not isinstance(value, _CONTAINERS):
        return 0
    deepest, stack = 0, [(value, 1)]
    while stack and deepest <= limit:  # only containers are stacked: a batch's strings cost no step each
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item
        # looked over in C first: most objects of a batch (its answers) hold no container at all
        if any(map(isinstance, children, repeat(_CONTAINERS))):
            stack.extend([(child, depth + 1) for child in children if isinstance(child, _CONTAINERS)])
    return deepest


def _check_url(scope: Scope) -> None:
    if NUL in scope["path"]:
        names = [name for name, value in scope.get("path_params", {}).items() if NUL in str(value)]
        raise bad_input(names[0] if names else "path", NUL_MESSAGE)
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if NUL in name or NUL in value:
            raise bad_input(name.replace(NUL, "") or "query", NUL_MESSAGE)


async def _check_body(request: Request) -> None:
    if not await request.body():
        return
    try:
        data = await request.json()  # cached on the request: the handler does not decode it again
    except RecursionError:
        raise bad_input("body", f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except SerializationException:
        return  # not JSON: the handler reports that as it always has
    if depth_of(data) > MAX_DEPTH:
        raise bad_input("body", f"JSON nested deeper than {MAX_DEPTH} levels")
    if isinstance(data, list) and request.route_handler.opt.get(next(iter(PER_ENTRY))):
        return
    if (field := nul_field(data)) is not None:
        raise bad_input(field, NUL_MESSAGE)


class InputGuard(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        _check_url(scope)
        if scope["method"] in BODY_METHODS:
            await _check_body(Request(scope, receive, send))
        await next_app(scope, receive, send)
