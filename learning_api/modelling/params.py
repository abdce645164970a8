"""The read side of the batch jobs: the parameters the live request path should use right now.

Use it like this (the cache is made once in the app's lifespan, as ``app.state.params``)::

    params = await state.params.current(db_session)        # global, cached per worker
    a, b = params.item_ab(item.id, item.irt_a, item.irt_b)  # calibrated, else the author's prior
    cuts = params.cuts                                      # CEFR cut points on theta
    w = await state.params.learner_weights(db_session, learner_id, params)  # own weights or global

Why a cache with a version check: the parameters change only when a batch job promotes a new version
(a few times a day), yet every answer needs them. Each worker keeps the current versions in memory and
asks the database "which versions are current?" (one read of a handful of rows over an index) at most
every ``refresh_seconds``; only when a number changed does it load the new parameters. So a promoted
version reaches every worker within ``refresh_seconds``, and a request pays nothing in between.

A learner's own weights are one primary-key read, kept for the learners a worker serves (a bounded LRU)
until the served versions change: the row is written only by a fit that lands a new current version, so
a kept one is never staler than the global weights beside it (both move at the next refresh), and a
session and its answers no longer read it twice. ``enabled=False`` (setting ``use_fitted_params``)
serves the defaults (FSRS-6 default weights, author-level difficulties, default cuts): the app "as it
was before fitting", which the learning benchmark compares against.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import anyio
import numpy as np
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.levels import DEFAULT_CUTS
from learning_api.db.tables import LearnerModelParams, ModelKind, ModelParams, VersionStatus
from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.retention import DESIRED_RETENTION


@dataclass(frozen=True)
class CurrentParams:
    """One consistent set of served parameters. ``*_version`` is None where no job has promoted one."""

    memory_version: int | None = None
    items_version: int | None = None
    weights: np.ndarray = field(default_factory=FSRS6_DEFAULT_WEIGHTS.copy)
    exact_time: bool = False  # the weights were fitted on exact elapsed time (models.memory), not whole days
    retention: float = DESIRED_RETENTION  # what the scheduler aims at with these weights (models.retention)
    items: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    cuts: tuple[float, ...] = DEFAULT_CUTS
    exposure: Mapping[str, float] = field(default_factory=dict)  # share of placement tests using an item

    def item_ab(self, item_id: str, prior_a: float, prior_b: float) -> tuple[float, float]:
        """Calibrated (a, b) of an item, or its prior (the author's level) when it has too few answers."""
        return self.items.get(item_id, (prior_a, prior_b))

    @classmethod
    def from_rows(cls, memory: ModelParams | None, items: ModelParams | None) -> CurrentParams:
        base = cls()
        mp, ip = (memory.params if memory else {}), (items.params if items else {})
        return cls(
            memory_version=memory.version if memory else None,
            items_version=items.version if items else None,
            weights=np.asarray(mp["weights"], float) if "weights" in mp else base.weights,
            exact_time=bool(mp.get("exact_time", base.exact_time)),
            retention=float(mp.get("retention", base.retention)),
            items={k: (float(v[0]), float(v[1])) for k, v in ip.get("items", {}).items()},
            cuts=tuple(float(c) for c in ip["cuts"]) if "cuts" in ip else base.cuts,
            exposure={k: float(v) for k, v in ip.get("exposure", {}).items()},
        )


DEFAULT_PARAMS = CurrentParams()
OWN_WEIGHTS_KEPT = 10_000  # learners whose own weights (or their absence) a worker keeps: a few MB


async def current_versions(session: AsyncSession) -> dict[str, int]:
    """{model: version} of the current versions: the cheap check every worker makes."""
    rows = await session.execute(
        select(ModelParams.model, ModelParams.version).where(ModelParams.status == VersionStatus.CURRENT)
    )
    return {model: version for model, version in rows}


async def load_current(session: AsyncSession, versions: dict[str, int]) -> CurrentParams:
    async def row(kind: ModelKind) -> ModelParams | None:
        version = versions.get(kind)
        return None if version is None else await session.get(ModelParams, (kind.value, version))

    return CurrentParams.from_rows(await row(ModelKind.MEMORY), await row(ModelKind.ITEMS))


Cuts = NamedDependency[tuple[float, ...]]


async def provide_cuts(state: State, db_session: AsyncSession) -> tuple[float, ...]:
    """The CEFR cut points served now (the ``cuts`` dependency): every screen that turns a theta into a
    level or a pass probability reads the same ones as the session and the placement test, so the level a
    learner is shown is the level they are taught at."""
    return (await state.params.current(db_session)).cuts


class ParamsCache:
    """Per-worker cache of `CurrentParams` (see the module docstring)."""

    def __init__(
        self,
        refresh_seconds: float = 30.0,
        enabled: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.refresh_seconds = refresh_seconds
        self.enabled = enabled
        self._monotonic = monotonic
        self._params = DEFAULT_PARAMS
        self._versions: dict[str, int] | None = None
        self._checked_at = -float("inf")
        self._lock = anyio.Lock()
        self._own: OrderedDict[uuid.UUID, np.ndarray | None] = OrderedDict()  # learner: own weights, or None
        self._own_of: CurrentParams | None = None  # the served parameters `_own` was read under

    async def current(self, session: AsyncSession) -> CurrentParams:
        if not self.enabled:
            return DEFAULT_PARAMS
        if self._monotonic() - self._checked_at < self.refresh_seconds:
            return self._params
        async with self._lock:  # one check per worker at a time; the others wait and reuse its answer
            if self._monotonic() - self._checked_at >= self.refresh_seconds:
                versions = await current_versions(session)
                if versions != self._versions:
                    self._params = await load_current(session, versions)
                    self._versions = versions
                self._checked_at = self._monotonic()
        return self._params

    async def learner_weights(
        self, session: AsyncSession, learner_id: uuid.UUID, params: CurrentParams | None = None
    ) -> np.ndarray:
        """The learner's own memory weights if a fit gave them some, else the global ones."""
        params = params or await self.current(session)
        if not self.enabled:
            return params.weights
        if params is not self._own_of:  # new versions (a fit that wrote own weights lands as one)
            self._own.clear()
            self._own_of = params
        if learner_id in self._own:
            self._own.move_to_end(learner_id)
            own = self._own[learner_id]
        else:
            row = (await session.execute(_OWN_WEIGHTS, {"learner_id": learner_id})).scalar_one_or_none()
            own = self._own[learner_id] = None if row is None else np.asarray(row, float)
            if len(self._own) > OWN_WEIGHTS_KEPT:
                self._own.popitem(last=False)
        return params.weights if own is None else own


# The one read of a learner's own weights, built once: every answer sends it (`learner_weights`), and an
# ORM ``get`` built and loaded an object to hand back one column.
_OWN_WEIGHTS = select(LearnerModelParams.__table__.c.weights).where(
    LearnerModelParams.__table__.c.learner_id == bindparam("learner_id"),
    LearnerModelParams.__table__.c.model == ModelKind.MEMORY.value,
)
