"""HTTP for the batch jobs' results: admins see the versions of each model with their scores."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from learning_api.accounts.auth import requires_role
from learning_api.db.session import DbSession
from learning_api.modelling import service
from learning_api.modelling.schemas import ModelVersionsOut


class ModelsController(Controller):
    path = "/admin/models"
    tags = ["admin"]
    guards = [requires_role()]

    @get("/", operation_id="listModelVersions")
    async def versions(
        self,
        db_session: DbSession,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 20,
    ) -> ModelVersionsOut:
        """List model versions (admin)

        The current version of each model and the newest `limit` versions of each, newest first.
        """
        return await service.list_versions(db_session, limit)
