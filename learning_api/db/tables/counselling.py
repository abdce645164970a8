"""What a learner shares with a counsellor, and every time a counsellor looked (the learner sees both)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from learning_api.db.base import Base, UTCDateTime, new_id, utcnow


class CounsellorShare(Base):
    """A learner's consent for one counsellor to read their plan and progress; revoking deletes it."""

    __tablename__ = "counsellor_shares"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    counsellor_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CounsellorAccess(Base):
    """One row per look at a learner's data by a counsellor, kept with the learner's data."""

    __tablename__ = "counsellor_access"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    counsellor_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # no FK: the log outlives a counsellor's account
    counsellor_email: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    what: Mapped[str] = mapped_column(String(16))  # AccessKind

    __table_args__ = (Index("ix_counsellor_access_learner_at", "learner_id", "at"),)
