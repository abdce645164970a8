"""The parameters the study rules run on, for one learner: the one place the request path asks for them.

Read through the per-worker cache of the batch jobs' versions (`learning_api.modelling.params`): memory
weights are the learner's own fit, else the global fit, else FSRS-6's defaults; item parameters are the
calibrated ones, else the author-level prior. Nothing is fitted here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Item
from learning_api.modelling.params import CurrentParams, ParamsCache
from learning_api.study.memory import DEFAULT_PARAMS as DEFAULT_MEMORY
from learning_api.study.memory import MemoryParams


@dataclass(frozen=True)
class LiveParams:
    memory: MemoryParams
    current: CurrentParams

    def ab(self, item: Item) -> tuple[float, float]:
        """The item's (a, b): calibrated when the bank's calibration covers it, else its prior."""
        return self.current.item_ab(item.id, item.irt_a, item.irt_b)


async def live_params(cache: ParamsCache, session: AsyncSession, learner_id: uuid.UUID) -> LiveParams:
    current = await cache.current(session)
    weights = await cache.learner_weights(session, learner_id, current)
    if weights is not current.weights:
        source = "learner"
    else:
        source = "global" if current.memory_version is not None else DEFAULT_MEMORY.source
    memory = MemoryParams(weights, current.exact_time, source, current.memory_version or 0, current.retention)
    return LiveParams(memory, current)
