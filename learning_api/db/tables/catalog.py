"""Courses, lessons, immutable lesson versions and the item bank.

A lesson's content lives in object storage as immutable versions; the database holds only the pointer
to the published one, so publishing is one row update and any worker may cache a version forever.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from learning_api.db.base import Base, UTCDateTime, utcnow


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Lesson(Base):
    __tablename__ = "lessons"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64), ForeignKey("courses.id"), index=True)
    level: Mapped[str] = mapped_column(String(2))
    topic: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    published_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class LessonVersion(Base):
    __tablename__ = "lesson_versions"

    lesson_id: Mapped[str] = mapped_column(String(64), ForeignKey("lessons.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    object_key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320), default="")


class Item(Base):
    """One exercise. Its id is the author's stable exercise id; ``lesson_version`` says which version
    last defined it. IRT parameters start from the author's level and are recalibrated from answers."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(64), ForeignKey("lessons.id"), index=True)
    lesson_version: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(2))
    skill: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(32))
    lemmas: Mapped[list[str]] = mapped_column(JSON, default=list)
    grammar: Mapped[list[str]] = mapped_column(JSON, default=list)
    irt_a: Mapped[float] = mapped_column(Float, default=1.0)
    irt_b: Mapped[float] = mapped_column(Float, default=0.0)
    n_answers: Mapped[int] = mapped_column(Integer, default=0)
    n_correct: Mapped[int] = mapped_column(Integer, default=0)
    removed_in_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_items_level_skill", "level", "skill"),)
