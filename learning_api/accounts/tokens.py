"""Sign-in sessions: short-lived access tokens and one-use refresh tokens that rotate.

A leaked access token is worth minutes, not the 30 days a single bearer token was. The app keeps the
learner signed in by trading its refresh token for a new pair; each refresh token works once. Presenting
one that was already used means two parties hold it (a thief, or the owner after a thief), so the whole
session ends: both must log in again and the thief is out. Tokens are random and stored as sha256, so a
leaked table opens nothing.

A refresh token reads ``<session id>.<secret>``: the id finds the session even when the secret is an old
one, which is what lets a replay end it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from learning_api.accounts.token_cache import TokenCache
from learning_api.db.tables import AuthSession, AuthToken, LearnerProfile, User
from learning_api.errors import NotAuthenticated
from learning_api.settings import Settings


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    user: User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _session_of(access_token: str):  # type: ignore[no-untyped-def]
    """The session an access token belongs to, as a subquery (one statement, no round trip)."""
    return (
        select(AuthToken.session_id).where(AuthToken.token_hash == token_hash(access_token)).scalar_subquery()
    )


def _issue_access(
    session: AsyncSession, auth_session: uuid.UUID, user: User, settings: Settings, now: datetime
) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(minutes=settings.access_token_ttl_minutes)
    session.add(
        AuthToken(
            token_hash=token_hash(token),
            user_id=user.id,
            session_id=auth_session,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return token, expires_at


async def start_session(session: AsyncSession, user: User, settings: Settings, now: datetime) -> IssuedTokens:
    """A new signed-in device; the user's sessions that ran out are removed on the way."""
    await session.execute(
        delete(AuthSession).where(AuthSession.user_id == user.id, AuthSession.expires_at <= now)
    )
    secret = secrets.token_urlsafe(32)
    refresh_expires_at = now + timedelta(days=settings.refresh_token_ttl_days)
    auth_session = AuthSession(
        id=uuid.uuid4(),
        user_id=user.id,
        refresh_hash=token_hash(secret),
        created_at=now,
        expires_at=refresh_expires_at,
    )
    session.add(auth_session)
    await session.flush()
    access, access_expires_at = _issue_access(session, auth_session.id, user, settings, now)
    return IssuedTokens(
        access, access_expires_at, f"{auth_session.id.hex}.{secret}", refresh_expires_at, user
    )


async def refresh(
    session: AsyncSession, refresh_token: str, settings: Settings, now: datetime
) -> IssuedTokens:
    """Trade a refresh token for a new pair. One UPDATE decides, so of two parallel uses of one token only
    one moves the session on; the other counts as a replay. On NotAuthenticated the caller must commit:
    the ended session has to stay ended although the request is refused."""
    session_hex, _, secret = refresh_token.partition(".")
    try:
        session_id = uuid.UUID(hex=session_hex)
    except ValueError:
        raise NotAuthenticated("the refresh token is not valid: log in again") from None
    new_secret = secrets.token_urlsafe(32)
    refresh_expires_at = now + timedelta(days=settings.refresh_token_ttl_days)
    user_id = await session.scalar(
        update(AuthSession)
        .where(
            AuthSession.id == session_id,
            AuthSession.refresh_hash == token_hash(secret),
            AuthSession.expires_at > now,
        )
        .values(refresh_hash=token_hash(new_secret), expires_at=refresh_expires_at)
        .returning(AuthSession.user_id)
    )
    user = await session.get(User, user_id) if user_id is not None else None
    if user is None or user.deleted_at is not None:
        # Used before, run out or unknown: whoever holds this session's tokens must log in again.
        await session.execute(delete(AuthSession).where(AuthSession.id == session_id))
        raise NotAuthenticated("the refresh token is used, expired or unknown: log in again")
    await session.execute(
        delete(AuthToken).where(AuthToken.session_id == session_id, AuthToken.expires_at <= now)
    )
    access, access_expires_at = _issue_access(session, session_id, user, settings, now)
    return IssuedTokens(access, access_expires_at, f"{session_id.hex}.{new_secret}", refresh_expires_at, user)


async def user_for_token(
    session: AsyncSession, token: str, now: datetime, cache: TokenCache | None = None
) -> User | None:
    """Authenticate a request: one lookup by the token's primary key, joined to its user and profile, or
    the row ``cache`` kept of it (`token_cache`: seconds old at most, never past the token's expiry)."""
    key = token_hash(token)
    row = cache.get(key) if cache is not None else None
    if row is None or row[-1] <= now:
        generation = cache.generation if cache is not None else 0
        row = (await session.execute(_USER_FOR_TOKEN, {"token_hash": key, "now": now})).first()
        if row is None:
            return None
        row = tuple(row)
        if cache is not None:
            cache.put(key, row, generation)
    split = len(_USERS)
    user = User(**dict(zip(_USERS.keys(), row[:split], strict=True)))
    has_profile = row[split] is not None  # the profile's key: NULL when the user has none yet
    user.profile = (
        LearnerProfile(**dict(zip(_PROFILES.keys(), row[split:-1], strict=True))) if has_profile else None
    )
    make_transient_to_detached(user)  # as the ORM's own load leaves it after the lookup's session closes
    if user.profile is not None:
        make_transient_to_detached(user.profile)
    return user


_USERS, _PROFILES, _TOKENS = User.__table__.c, LearnerProfile.__table__.c, AuthToken.__table__.c
# Every request sends it: built once with its values as parameters, so SQLAlchemy's compiled cache serves
# it. Of the tables, not the mapped classes: the ORM's execution steps and its joined eager load of the
# profile (its language words the errors of this request) cost a third of the lookup's CPU time again;
# the two objects are made from the row instead, detached, as the ORM's load left them.
_USER_FOR_TOKEN = (
    select(*_USERS, *_PROFILES, _TOKENS.expires_at)  # the expiry last: how long a kept row holds
    .select_from(
        AuthToken.__table__.join(User.__table__, _USERS.id == _TOKENS.user_id).outerjoin(
            LearnerProfile.__table__, _PROFILES.user_id == _USERS.id
        )
    )
    .where(
        _TOKENS.token_hash == bindparam("token_hash"),
        _TOKENS.expires_at > bindparam("now"),
        _USERS.deleted_at.is_(None),
    )
)


async def end_session(session: AsyncSession, access_token: str) -> None:
    """Log out: the session of this access token ends, with its refresh token and every access token."""
    await session.execute(delete(AuthSession).where(AuthSession.id == _session_of(access_token)))


async def end_other_sessions(session: AsyncSession, user_id: uuid.UUID, access_token: str) -> None:
    """Every session of the user but the one making this request (after a password change)."""
    await session.execute(
        delete(AuthSession).where(AuthSession.user_id == user_id, AuthSession.id != _session_of(access_token))
    )
