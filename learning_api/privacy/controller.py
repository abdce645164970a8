"""HTTP for the learner's own data: download it all (deleting the account is DELETE /me)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from learning_api.accounts.auth import any_user
from learning_api.db.session import DbSession
from learning_api.errors import NotFound
from learning_api.privacy import service


class PrivacyController(Controller):
    path = "/me"
    tags = ["privacy"]
    guards = [any_user]

    @get("/export", operation_id="exportMyData", raises=[NotFound])
    async def export(self, request: Request, db_session: DbSession) -> Response[dict[str, Any]]:
        """Download all my data

        Everything stored about the caller as one JSON document.
        """
        data = await service.export_data(db_session, request.user.id)
        return Response(
            data, headers={"Content-Disposition": 'attachment; filename="keelerada-my-data.json"'}
        )
