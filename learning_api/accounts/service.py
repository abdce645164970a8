"""Sign-up, log-in, password change, profiles and roles.

Services take the session and never commit: the request boundary commits, so a failure half-way
through a call leaves nothing stored. (Counting a log-in attempt is the one exception: it stands before
the password is checked, whatever the request does next; see ``limits``.)
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.accounts import limits, tokens
from learning_api.accounts.passwords import hash_password, needs_rehash, require_strong, verify_password
from learning_api.accounts.schemas import ProfileUpdate
from learning_api.db.tables import LearnerProfile, User
from learning_api.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from learning_api.settings import Settings


def normalise_email(email: str) -> str:
    """One account per mailbox: 'Mari.Tamm@Example.ee ' and 'mari.tamm@example.ee' are the same person."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def checked_email(email: str) -> str:
    """The normalised address if its syntax is valid (email-validator; no DNS lookups, so sign-up works
    offline and reveals nothing to a resolver), else InvalidInput naming the field."""
    try:
        return validate_email(normalise_email(email), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidInput(str(exc), field="email") from exc


def _personal(email: str, display_name: str) -> tuple[str, ...]:
    """What a guesser knows of the person: the parts of the address and the name."""
    local, _, domain = email.partition("@")
    return (local, *domain.split("."), *display_name.split())


async def register(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    display_name: str = "",
    instruction_language: str = "en",
    role: str = "learner",
) -> User:
    email = checked_email(email)
    display_name = display_name.strip()
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("an account with this email exists already", field="email")
    await require_strong(password, personal=_personal(email, display_name), lang=instruction_language)
    user = User(
        id=uuid.uuid4(),
        email=email,
        password_hash=await hash_password(password),
        role=role,
        display_name=display_name,
    )
    session.add(user)
    session.add(LearnerProfile(user_id=user.id, instruction_language=instruction_language))
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same email won the race
        raise Conflict("an account with this email exists already", field="email") from exc
    return user


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.login_window_minutes)


async def login(
    session: AsyncSession, settings: Settings, *, email: str, password: str, client: str, now: datetime
) -> tokens.IssuedTokens:
    """Count the attempt against the account's and the client's limits, then check the password; a
    success uncounts it and starts a session. The count is committed at once on a connection of its own,
    before the check (see ``limits``)."""
    email = normalise_email(email)
    attempt = [
        limits.account_limit(email, settings.login_failures_per_account),
        limits.client_limit(client, settings.login_failures_per_client),
    ]
    await limits.count_attempt(session.bind, attempt, _window(settings), now)  # type: ignore[arg-type]
    user = await session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    if not await verify_password(user.password_hash if user else None, password) or user is None:
        raise NotAuthenticated("wrong email or password")
    if needs_rehash(user.password_hash):
        user.password_hash = await hash_password(password)
    await limits.take_back(session, attempt, _window(settings), now)
    return await tokens.start_session(session, user, settings, now)


async def change_password(
    session: AsyncSession,
    settings: Settings,
    *,
    user_id: uuid.UUID,
    access_token: str,
    current_password: str,
    new_password: str,
    now: datetime,
) -> None:
    """Set a new password after checking the current one, a check counted against the account's log-in
    limit (so a stolen access token cannot be used to guess the password); every other signed-in device
    is logged out, this one stays."""
    user = await session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound("no such user")
    attempt = [limits.account_limit(user.email, settings.login_failures_per_account)]
    await limits.count_attempt(session.bind, attempt, _window(settings), now)  # type: ignore[arg-type]
    if not await verify_password(user.password_hash, current_password):
        raise InvalidInput("the current password is wrong", field="current_password")
    profile = await get_profile(session, user_id)
    await require_strong(
        new_password,
        personal=(*_personal(user.email, user.display_name), current_password),
        lang=profile.instruction_language,
        field="new_password",
    )
    user.password_hash = await hash_password(new_password)
    await limits.take_back(session, attempt, _window(settings), now)
    await tokens.end_other_sessions(session, user_id, access_token)


async def get_profile(session: AsyncSession, user_id: uuid.UUID) -> LearnerProfile:
    profile = await session.get(LearnerProfile, user_id)
    if profile is None:
        profile = LearnerProfile(user_id=user_id)
        session.add(profile)
        await session.flush()
    return profile


async def request_profile(session: AsyncSession, user: User) -> LearnerProfile:
    """The profile of the request's user: the one the token lookup joined to the user in this very request
    (so no second read), else read or made as `get_profile` does."""
    loaded = user.__dict__.get("profile")  # never a lazy load: the user belongs to the lookup's session
    return loaded if loaded is not None else await get_profile(session, user.id)


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
    if user.role == "admin" and role != "admin":
        await _leave_admins(session, user_id, role)
    user.role = role
    return user


async def step_down(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Before an account is deleted: an admin leaves the admins first, so the last one cannot go."""
    await _leave_admins(session, user_id, "learner")


async def _leave_admins(session: AsyncSession, user_id: uuid.UUID, role: str) -> None:
    """Take ``user_id`` out of the admins unless no admin would be left (Conflict). PostgreSQL locks the
    admin rows first (in id order, so two admins demoting each other cannot deadlock) and the second of
    two parallel demotions then counts one admin; SQLite runs one writer at a time, and the guarded UPDATE
    decides within its single statement."""
    await session.execute(
        select(User.id)
        .where(User.role == "admin", User.deleted_at.is_(None))
        .order_by(User.id)
        .with_for_update()
    )
    others = (
        select(func.count())
        .select_from(User)
        .where(User.role == "admin", User.deleted_at.is_(None), User.id != user_id)
        .scalar_subquery()
    )
    result = await session.execute(
        update(User)
        .where(User.id == user_id, (User.role != "admin") | (others > 0))
        .values(role=role)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict("the last admin cannot stop being one: make another admin first", field="role")
