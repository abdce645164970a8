"""Users, learner profiles, login tokens and the failed-login log that rate limiting reads."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_api.db.base import Base, UTCDateTime, new_id, utcnow


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
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Tallinn")
    target_level: Mapped[str] = mapped_column(String(2), default="B1")
    target_exam_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    daily_goal_minutes: Mapped[int] = mapped_column(Integer, default=15)
    daily_goal_items: Mapped[int] = mapped_column(Integer, default=20)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile", lazy="raise")


class AuthToken(Base):
    """Opaque bearer tokens stored as sha256, so a leaked table leaks no sessions; revoked by deletion."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginFailure(Base):
    """One row per failed login; counting recent rows per key keeps the limit shared by every API worker."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope_key: Mapped[str] = mapped_column(String(400))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_login_failures_scope_key_at", "scope_key", "at"),)
