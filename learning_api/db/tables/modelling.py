"""Versioned model parameters written by the batch jobs (`keelerada models ...`).

Each run of a job adds one row per model with the next version number; exactly one version of a model is
`current` (the one workers serve). A candidate that scored worse than the current one on the newest
answers it did not see stays in the table as `rejected`, so the history of every fit is kept. A learner's
own memory weights live in a learner-owned table (learner id first in the key, as everywhere).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from learning_api.db.base import Base, UTCDateTime, utcnow


class ModelKind(StrEnum):
    MEMORY = "memory"  # global memory weights (+ the recall layer); per-learner rows in learner_model_params
    ITEMS = "items"  # calibrated 2PL item parameters, CEFR cut points, placement exposure


class VersionStatus(StrEnum):
    CURRENT = "current"
    RETIRED = "retired"  # was current, replaced by a newer promoted version
    REJECTED = "rejected"  # scored worse than the current version; kept for the record


class ModelParams(Base):
    __tablename__ = "model_params"

    model: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    n_answers: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_model_params_model_status", "model", "status"),)


class LearnerModelParams(Base):
    """A learner's own memory weights, fitted once they have enough reviews, shrunk to the global fit."""

    __tablename__ = "learner_model_params"

    learner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    weights: Mapped[list[float]] = mapped_column(JSON, default=list)
    n_reviews: Mapped[int] = mapped_column(Integer, default=0)
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
