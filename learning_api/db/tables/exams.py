"""Mock exams: the assembled parts, their clocks and the learner's answers. Learner-owned (the learner's id
first in every key), kept with the learner's data and deleted with the account."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from learning_api.db.base import Base, UTCDateTime, utcnow


class MockExam(Base):
    """One mock tasemeeksam. ``id`` is made by the client, so a start replayed after a dropped connection
    finds the exam it made; ``seed`` makes the assembly repeatable."""

    __tablename__ = "mock_exams"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    level: Mapped[str] = mapped_column(String(2))
    seed: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="running")  # exams.schemas.ExamStatus
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_mock_exams_learner_started", "learner_id", "started_at"),)


class MockExamPart(Base):
    """One part of a mock exam: its exercises in groups (a text with all its questions), its clock (set
    when the learner opens the part) and, once scored, its points out of 25."""

    __tablename__ = "mock_exam_parts"

    learner_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    exam_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    part: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    groups: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="waiting")  # exams.schemas.PartStatus
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    correct: Mapped[int | None] = mapped_column(Integer, nullable=True)
    points: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    evidence_applied: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        ForeignKeyConstraint(
            ["learner_id", "exam_id"], ["mock_exams.learner_id", "mock_exams.id"], ondelete="CASCADE"
        ),
    )


class MockExamAnswer(Base):
    """The learner's current answer to one exam item: answering again before the part is submitted
    replaces it (as on paper). Machine-graded items carry the verdict; writing and speaking items the
    submission a teacher scores."""

    __tablename__ = "mock_exam_answers"

    learner_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    exam_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), ForeignKey("items.id"), primary_key=True)
    part: Mapped[str] = mapped_column(String(16))
    response: Mapped[str] = mapped_column(Text, default="")
    submission_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(16), nullable=True)
    correct: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        ForeignKeyConstraint(
            ["learner_id", "exam_id"], ["mock_exams.learner_id", "mock_exams.id"], ondelete="CASCADE"
        ),
    )
