"""Sign-up, log-in with rate limiting, bearer tokens, profiles and roles.

Services take the session and never commit: the request boundary commits, so a failure half-way
through a call leaves nothing stored.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from learning_api.accounts.passwords import hash_password, needs_rehash, verify_password
from learning_api.accounts.schemas import ProfileUpdate
from learning_api.db.tables import AuthToken, LearnerProfile, LoginFailure, User
from learning_api.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, RateLimited
from learning_api.settings import Settings


def normalise_email(email: str) -> str:
    """One account per mailbox: 'Mari.Tamm@Example.ee ' and 'mari.tamm@example.ee' are the same person."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def register(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    display_name: str = "",
    instruction_language: str = "en",
    role: str = "learner",
) -> User:
    email = normalise_email(email)
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("an account with this email exists already", field="email")
    user = User(
        id=uuid.uuid4(),
        email=email,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name.strip(),
    )
    session.add(user)
    session.add(LearnerProfile(user_id=user.id, instruction_language=instruction_language))
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same email won the race
        raise Conflict("an account with this email exists already", field="email") from exc
    return user


async def _recent_failures(session: AsyncSession, key: str, since: datetime) -> tuple[int, datetime | None]:
    row = (
        await session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                LoginFailure.scope_key == key, LoginFailure.at >= since
            )
        )
    ).one()
    return int(row[0]), row[1]


async def _check_rate_limit(
    session: AsyncSession, settings: Settings, keys_and_limits: list[tuple[str, int]], now: datetime
) -> None:
    window = timedelta(minutes=settings.login_window_minutes)
    for key, limit in keys_and_limits:
        count, oldest = await _recent_failures(session, key, now - window)
        if count >= limit and oldest is not None:
            retry = max(1, int((oldest + window - now).total_seconds()) + 1)
            raise RateLimited("too many failed log-ins: wait and try again", retry_after_seconds=retry)


async def login(
    session: AsyncSession, settings: Settings, *, email: str, password: str, client: str, now: datetime
) -> tuple[str, User, datetime]:
    email = normalise_email(email)
    limits = [
        (f"account:{email}", settings.login_failures_per_account),
        (f"client:{client}", settings.login_failures_per_client),
    ]
    await _check_rate_limit(session, settings, limits, now)
    user = await session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        for key, _ in limits:
            session.add(LoginFailure(scope_key=key, at=now))
        raise NotAuthenticated("wrong email or password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    await session.execute(delete(LoginFailure).where(LoginFailure.scope_key == limits[0][0]))
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=settings.token_ttl_hours)
    session.add(
        AuthToken(token_hash=_token_hash(token), user_id=user.id, created_at=now, expires_at=expires_at)
    )
    return token, user, expires_at


async def user_for_token(session: AsyncSession, token: str, now: datetime) -> User | None:
    return await session.scalar(
        select(User)
        .join(AuthToken, AuthToken.user_id == User.id)
        .options(joinedload(User.profile))  # its language words the errors of this request
        .where(
            AuthToken.token_hash == _token_hash(token), AuthToken.expires_at > now, User.deleted_at.is_(None)
        )
    )


async def logout(session: AsyncSession, token: str) -> None:
    await session.execute(delete(AuthToken).where(AuthToken.token_hash == _token_hash(token)))


async def get_profile(session: AsyncSession, user_id: uuid.UUID) -> LearnerProfile:
    profile = await session.get(LearnerProfile, user_id)
    if profile is None:
        profile = LearnerProfile(user_id=user_id)
        session.add(profile)
        await session.flush()
    return profile


async def update_profile(session: AsyncSession, user_id: uuid.UUID, data: ProfileUpdate) -> LearnerProfile:
    changes = msgspec.structs.asdict(data)
    changes = {k: v for k, v in changes.items() if v is not msgspec.UNSET}
    if "time_zone" in changes:
        try:
            ZoneInfo(changes["time_zone"])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(
                "unknown time zone (use an IANA name such as Europe/Tallinn)", field="time_zone"
            ) from exc
    profile = await get_profile(session, user_id)
    for key, value in changes.items():
        setattr(profile, key, value)
    await session.flush()
    return profile


async def set_role(session: AsyncSession, user_id: uuid.UUID, role: str) -> User:
    user = await session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound("no such user", field="user_id")
    user.role = role
    return user
