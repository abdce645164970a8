"""Model versions: reading them for the admin route, and adding a new one (the batch jobs' last step).

Adding is where the promotion rule lives: a candidate becomes `current` only when it is not worse than
the version now served, on the same held-out answers; the old one is then `retired`. Either way the
candidate is kept with its scores, so the table is the full history of fits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import ModelKind, ModelParams, VersionStatus
from learning_api.modelling.params import current_versions
from learning_api.modelling.schemas import ModelVersionOut, ModelVersionsOut


def _out(row: ModelParams) -> ModelVersionOut:
    return ModelVersionOut(
        model=row.model, version=row.version, status=row.status, created_at=row.created_at,
        n_answers=row.n_answers, scores=row.scores, report=row.report,
    )  # fmt: skip


async def list_versions(session: AsyncSession, limit: int) -> ModelVersionsOut:
    versions: list[ModelVersionOut] = []
    for kind in ModelKind:
        rows = await session.scalars(
            select(ModelParams)
            .where(ModelParams.model == kind)
            .order_by(ModelParams.version.desc())
            .limit(limit)
        )
        versions += [_out(row) for row in rows]
    return ModelVersionsOut(current=await current_versions(session), versions=versions)


async def current_row(session: AsyncSession, kind: ModelKind) -> ModelParams | None:
    return await session.scalar(
        select(ModelParams).where(ModelParams.model == kind, ModelParams.status == VersionStatus.CURRENT)
    )


async def latest_row(session: AsyncSession, kind: ModelKind) -> ModelParams | None:
    """The newest version whatever its status: a job re-run on the same log compares with it."""
    return await session.scalar(
        select(ModelParams).where(ModelParams.model == kind).order_by(ModelParams.version.desc()).limit(1)
    )


async def add_version(
    session: AsyncSession,
    kind: ModelKind,
    params: dict[str, Any],
    scores: dict[str, Any],
    report: dict[str, Any],
    n_answers: int,
    promote: bool,
    now: datetime,
) -> ModelParams:
    """Store a new version of `kind`; if `promote`, it becomes the one served and the old one retires."""
    latest = await session.scalar(select(func.max(ModelParams.version)).where(ModelParams.model == kind))
    if promote:
        await session.execute(
            update(ModelParams)
            .where(ModelParams.model == kind, ModelParams.status == VersionStatus.CURRENT)
            .values(status=VersionStatus.RETIRED)
        )
    row = ModelParams(
        model=kind.value, version=(latest or 0) + 1,
        status=VersionStatus.CURRENT if promote else VersionStatus.REJECTED,
        params=params, scores=scores, report=report, n_answers=n_answers, created_at=now,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return row
