"""HTTP for accounts: sign-up, log-in/out, token refresh, who am I, password change, the learner profile,
and role changes by admins."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import anyio
import msgspec
from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from learning_api.accounts import service, tokens
from learning_api.accounts.auth import PUBLIC, any_user, requires_role
from learning_api.accounts.schemas import (
    LoginIn,
    PasswordChange,
    ProfileOut,
    ProfileUpdate,
    RefreshIn,
    RegisterIn,
    RoleChange,
    TokenOut,
    UserOut,
)
from learning_api.db.session import DbSession
from learning_api.db.tables import LearnerProfile, User
from learning_api.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, RateLimited
from learning_api.privacy import service as privacy


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        role=user.role,  # type: ignore[arg-type]
        display_name=user.display_name,
        created_at=user.created_at,
    )


def profile_out(profile: LearnerProfile) -> ProfileOut:
    fields = {f: getattr(profile, f) for f in ProfileOut.__struct_fields__}
    return msgspec.convert(fields, ProfileOut, from_attributes=True)


def client_key(request: Request) -> str:
    """The peer address, or the client a trusted proxy reports (KEELERADA_TRUSTED_PROXIES, applied to the
    connection by the app's proxy-headers middleware)."""
    return request.client.host if request.client else "unknown"


def token_out(issued: tokens.IssuedTokens, now: datetime) -> TokenOut:
    return TokenOut(
        token=issued.access_token,
        token_type="bearer",
        expires_in=int((issued.access_expires_at - now).total_seconds()),
        expires_at=issued.access_expires_at,
        refresh_token=issued.refresh_token,
        refresh_expires_at=issued.refresh_expires_at,
        user_id=issued.user.id,
        role=issued.user.role,  # type: ignore[arg-type]
    )


class AuthController(Controller):
    path = "/auth"
    tags = ["accounts"]

    @post(
        "/register",
        operation_id="register",
        raises=[InvalidInput, Conflict],
        opt=PUBLIC,
        status_code=HTTP_201_CREATED,
    )
    async def register(self, data: JSONBody[RegisterIn], db_session: DbSession) -> UserOut:
        """Create an account

        A new learner account (other roles are granted by an admin). The password is stored as an
        argon2id hash; log in afterwards at `POST /auth/login`.
        """
        user = await service.register(
            db_session,
            email=data.email,
            password=data.password,
            display_name=data.display_name,
            instruction_language=data.instruction_language,
        )
        return user_out(user)

    @post(
        "/login",
        operation_id="login",
        raises=[NotAuthenticated, RateLimited],
        opt=PUBLIC,
        status_code=HTTP_200_OK,
    )
    async def login(
        self, data: JSONBody[LoginIn], db_session: DbSession, state: State, request: Request
    ) -> TokenOut:
        """Log in

        Exchanges email and password for a short-lived access token and a refresh token. Attempts are
        counted per account and per client address; past the limit the answer is 429 with Retry-After.
        """
        now = datetime.now(UTC)
        issued = await service.login(
            db_session,
            state.settings,
            email=data.email,
            password=data.password,
            client=client_key(request),
            now=now,
        )
        return token_out(issued, now)

    @post(
        "/refresh",
        operation_id="refreshToken",
        raises=[NotAuthenticated],
        opt=PUBLIC,
        status_code=HTTP_200_OK,
    )
    async def refresh(self, data: JSONBody[RefreshIn], db_session: DbSession, state: State) -> TokenOut:
        """Refresh the tokens

        A new access token and a new refresh token; the one sent is used up (a replayed one ends the
        session).
        """
        now = datetime.now(UTC)
        try:
            issued = await tokens.refresh(db_session, data.refresh_token, state.settings, now)
        except NotAuthenticated:
            await db_session.commit()  # a replayed token ended its session: that must outlive the 401
            raise
        return token_out(issued, now)

    @post("/logout", operation_id="logout", guards=[any_user], status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: Request, db_session: DbSession) -> None:
        """Log out

        Ends the session of the token this request was sent with.
        """
        await tokens.end_session(db_session, request.auth)


class MeController(Controller):
    path = "/me"
    tags = ["accounts"]
    guards = [any_user]

    @get("/", operation_id="me")
    async def me(self, request: Request) -> UserOut:
        """Who am I

        The account the bearer token belongs to.
        """
        return user_out(request.user)

    @delete("/", operation_id="deleteMyAccount", raises=[NotFound], status_code=HTTP_204_NO_CONTENT)
    async def delete_account(self, request: Request, db_session: DbSession, state: State) -> None:
        """Delete my account

        Everything personal goes, my recordings too; answers stay for item calibration under a random id.
        """
        await service.step_down(db_session, request.user.id)
        recordings = await privacy.delete_account(db_session, request.user.id)
        for key in recordings:
            await anyio.to_thread.run_sync(state.store.delete, key)

    @post(
        "/password",
        operation_id="changePassword",
        raises=[InvalidInput, NotFound],
        status_code=HTTP_204_NO_CONTENT,
    )
    async def change_password(
        self, request: Request, data: JSONBody[PasswordChange], db_session: DbSession, state: State
    ) -> None:
        """Change my password

        Needs the current password; every other session of the account ends.
        """
        await service.change_password(
            db_session,
            state.settings,
            user_id=request.user.id,
            access_token=request.auth,
            current_password=data.current_password,
            new_password=data.new_password,
            now=datetime.now(UTC),
        )

    @get("/profile", operation_id="getProfile")
    async def get_profile(self, request: Request, db_session: DbSession) -> ProfileOut:
        """Read my learner profile

        Languages, region, goals and exam date (made with defaults on first read).
        """
        return profile_out(await service.get_profile(db_session, request.user.id))

    @patch("/profile", operation_id="updateProfile", raises=[InvalidInput])
    async def update_profile(
        self, request: Request, data: JSONBody[ProfileUpdate], db_session: DbSession
    ) -> ProfileOut:
        """Change my learner profile

        A partial update: fields left out keep their value. `time_zone` must be an IANA name.
        """
        return profile_out(await service.update_profile(db_session, request.user.id, data))


class UsersController(Controller):
    path = "/users"
    tags = ["accounts"]
    guards = [requires_role("admin")]

    @put("/{user_id:uuid}/role", operation_id="setUserRole", raises=[NotFound, Conflict])
    async def set_role(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[RoleChange], db_session: DbSession
    ) -> UserOut:
        """Grant a role (admin)

        Makes the user a learner, teacher, counsellor, author or admin (the last admin stays one).
        """
        return user_out(await service.set_role(db_session, user_id, data.role))
