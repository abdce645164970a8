"""Which memory parameters schedule a learner: their own fit, else the global fit, else FSRS-6 defaults.

The one function the request path asks (`memory_params`); the batch jobs (`keelerada models fit`) write
the versions it reads. Kept to a single indexed read of at most two rows.
"""

from __future__ import annotations

import uuid

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import ModelParams
from learning_api.study.memory import DEFAULT_PARAMS, MemoryParams

MEMORY_MODEL = "fsrs6"


def learner_scope(learner_id: uuid.UUID) -> str:
    return f"learner:{learner_id}"


def from_row(row: ModelParams) -> MemoryParams:
    weights = np.asarray(row.weights["w"], dtype=float)
    if weights.shape != DEFAULT_PARAMS.weights.shape or not np.all(np.isfinite(weights)):
        raise ValueError(f"model_params {row.scope}/{row.model} v{row.version}: not 21 finite weights")
    source = "learner" if row.scope.startswith("learner:") else row.scope
    return MemoryParams(weights, bool(row.weights.get("exact_time", False)), source, row.version)


async def memory_params(session: AsyncSession, learner_id: uuid.UUID) -> MemoryParams:
    rows = {
        row.scope: row
        for row in await session.scalars(
            select(ModelParams).where(
                ModelParams.model == MEMORY_MODEL,
                ModelParams.scope.in_([learner_scope(learner_id), "global"]),
            )
        )
    }
    row = rows.get(learner_scope(learner_id)) or rows.get("global")
    return DEFAULT_PARAMS if row is None else from_row(row)
