"""Users, learner profiles, sign-in sessions with their tokens, and the failed-log-in counters."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_api.db.base import Base, UTCDateTime, new_id, utcnow
from learning_api.kinds import StudyOrder

# A learner with no profile yet is in this zone: the profile made for them (`get_profile`) starts here.
DEFAULT_TIME_ZONE = "Europe/Tallinn"


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="learner")
    display_name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    profile: Mapped[LearnerProfile | None] = relationship(back_populates="user", uselist=False, lazy="raise")


class LearnerProfile(Base):
    __tablename__ = "learner_profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    native_language: Mapped[str] = mapped_column(String(8), default="")
    instruction_language: Mapped[str] = mapped_column(String(2), default="en")
    region: Mapped[str] = mapped_column(String(40), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE)
    target_level: Mapped[str] = mapped_column(String(2), default="B1")
    target_exam_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    daily_goal_minutes: Mapped[int] = mapped_column(Integer, default=15)
    daily_goal_items: Mapped[int] = mapped_column(Integer, default=20)
    study_order: Mapped[str] = mapped_column(String(16), default=StudyOrder.ADAPTIVE)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile", lazy="raise")


class AuthSession(Base):
    """One signed-in device: it holds the current refresh token, and its access tokens hang off it, so
    logging out, a password change or a replayed refresh token ends the session with one delete."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # sha256 of the one refresh token that may be used next; an older one presented again ends the session.
    refresh_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuthToken(Base):
    """Short-lived bearer (access) tokens stored as sha256, so a leaked table leaks no sessions; the
    primary key is the hash, so authenticating a request is one indexed lookup joined to its user."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginLimit(Base):
    """A failed-log-in counter per key (account or client address) and window, changed only by one atomic
    upsert, so parallel guesses cannot all read "under the limit" before any of them is counted; shared by
    every API worker."""

    __tablename__ = "login_limits"

    scope_key: Mapped[str] = mapped_column(String(400), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    failures: Mapped[int] = mapped_column(Integer)
