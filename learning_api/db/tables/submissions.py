"""Writing and speaking submissions: a learner's free answer to a task, and the person's score of it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from learning_api.db.base import Base, UTCDateTime, new_id, utcnow


class Submission(Base):
    """One text or recording for one writing or speaking item. Learner first in the key, like every
    learner-owned table; deleted with the account (its audio object too: privacy.service)."""

    __tablename__ = "submissions"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(String(100), ForeignKey("items.id"))
    kind: Mapped[str] = mapped_column(String(16))  # HumanScoredType: writing | speaking
    status: Mapped[str] = mapped_column(String(16))  # SubmissionStatus
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # became pending
    # the task as it was set (et/en/ru/uk) and its model answer: a later lesson version changes neither
    task: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    model_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # writing
    check: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # writing: the immediate check
    audio_key: Mapped[str | None] = mapped_column(String(300), nullable=True)  # speaking
    audio_type: Mapped[str | None] = mapped_column(String(64), nullable=True)
    audio_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scores: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # criterion -> points
    points: Mapped[float | None] = mapped_column(Float, nullable=True)  # out of the part's 25
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)  # no FK: outlives the scorer
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    evidence_applied: Mapped[bool] = mapped_column(Boolean, default=False)  # moved the skill's ability

    __table_args__ = (
        Index("ix_submissions_status_submitted", "status", "submitted_at"),
        Index("ix_submissions_learner_created", "learner_id", "created_at"),
        Index("ix_submissions_id", "id", unique=True),  # scorers find a submission by its id alone
    )
