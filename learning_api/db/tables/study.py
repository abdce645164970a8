"""Learner-owned study data. Every table carries the learner's id first in its primary key, so
PostgreSQL can later be sharded by learner (Citus) without reshaping anything."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Uuid,
    desc,
)
from sqlalchemy.orm import Mapped, mapped_column

from learning_api.db.base import Base, UTCDateTime, new_id, utcnow


class ReviewState(Base):
    """Memory state of one (learner, item) pair, as the memory model in models/ defines it."""

    __tablename__ = "review_states"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(100), ForeignKey("items.id"), primary_key=True)
    difficulty: Mapped[float] = mapped_column(Float)
    stability: Mapped[float] = mapped_column(Float)
    last_review: Mapped[datetime] = mapped_column(UTCDateTime)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    # The item's family (its first lemma, `selection.family`; None for an item practising none), kept
    # beside the state so a family's memory is one index lookup, not a join over every state the learner
    # has. Set when the row is made; publishing keeps it in step when an item's lemmas change.
    family: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_review_states_learner_due", "learner_id", "due"),
        # per (learner, family) the strongest state first (`states.stronger`'s order)
        Index("ix_review_states_learner_family", "learner_id", "family", desc("stability"), "item_id"),
    )


class Answer(Base):
    """The append-only answer log. The client makes the id, so a replayed upload is recognised.

    ``learner_id`` has no foreign key on purpose: when an account is deleted its answers stay for item
    calibration under a fresh random id, still grouped per (former) learner but linked to no one."""

    __tablename__ = "answers"

    learner_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), ForeignKey("items.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(Boolean)
    verdict: Mapped[str] = mapped_column(String(16))
    grade: Mapped[int] = mapped_column(SmallInteger)
    latency_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="session")
    feedback: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_answers_learner_answered", "learner_id", "answered_at"),
        Index("ix_answers_item", "item_id"),
    )


class Ability(Base):
    """Per-skill ability estimate (IRT theta with its standard error) and its history for the trend."""

    __tablename__ = "ability"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(16), primary_key=True)
    theta: Mapped[float] = mapped_column(Float, default=0.0)
    se: Mapped[float] = mapped_column(Float, default=1.0)
    n_answers: Mapped[int] = mapped_column(Integer, default=0)
    posterior: Mapped[list[float]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AbilitySnapshot(Base):
    """Daily snapshot per skill: the history endpoint and the readiness forecast read the trend from it."""

    __tablename__ = "ability_snapshots"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # ISO date in the learner's zone
    skill: Mapped[str] = mapped_column(String(16), primary_key=True)
    theta: Mapped[float] = mapped_column(Float)
    se: Mapped[float] = mapped_column(Float)


class StudyDay(Base):
    """Answers per learner and local day, counted as answers are logged (`db.study_days`): a learner's
    streak, answer total and daily history read these few hundred rows, never years of the answer log.

    ``day`` is the learner's local date in the profile's time zone when the answer was logged; a later
    change of zone does not rewrite old days (that is the day the learner lived). Deleted with the account,
    unlike the answers it counts: a day count is about the person, not about the items."""

    __tablename__ = "study_days"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # ISO date, as AbilitySnapshot.day
    answers: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)


class PlacementTest(Base):
    __tablename__ = "placement_tests"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | finished | skipped
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ItemFeedback(Base):
    """A learner's rating of an exercise or report of an error in it; authors read them per lesson."""

    __tablename__ = "item_feedback"

    learner_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # anonymised like answers
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(String(100), ForeignKey("items.id"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # rating | error
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
