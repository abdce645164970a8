"""Bearer-token authentication for every route, and role guards.

Authentication is on by default for every route; a handler that anyone may call says so explicitly
with ``opt={"exclude_from_auth": True}`` (a test checks the list), so a new route cannot be forgotten.
"""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware

from learning_api.accounts.tokens import user_for_token
from learning_api.db.tables import User
from learning_api.errors import NotAuthenticated, PermissionDenied

PUBLIC = {"exclude_from_auth": True}


def bearer_token(connection: ASGIConnection) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("send 'Authorization: Bearer <token>' (log in at /auth/login)")
    return token.strip()


class TokenAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        token = bearer_token(connection)
        async with connection.app.state.lookup_sessionmaker() as session:
            user = await user_for_token(session, token, datetime.now(UTC), connection.app.state.token_cache)
        if user is None:
            raise NotAuthenticated("the token is unknown or expired: log in again")
        return AuthenticationResult(user=user, auth=token)


# The OpenAPI document and its viewers are public: clients generate code from them before anyone logs in.
auth_middleware = DefineMiddleware(
    TokenAuthMiddleware, exclude_from_auth_key="exclude_from_auth", exclude=["^/schema"]
)


def requires_role(*roles: str):  # type: ignore[no-untyped-def]
    """Guard: admins may do everything; others need one of ``roles``."""

    allowed = frozenset(roles) | {"admin"}

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        user: User = connection.user
        if user.role not in allowed:
            raise PermissionDenied("this needs the role {roles}", roles=" or ".join(sorted(allowed)))

    guard.__name__ = f"requires_{'_or_'.join(roles)}"
    guard.roles = allowed  # type: ignore[attr-defined]  # the OpenAPI document reads who may pass (403)
    return guard


any_user = requires_role("learner", "teacher", "counsellor", "author")
