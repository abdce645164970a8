"""HTTP for the learner's own data: download it all (deleting the account is DELETE /me)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.response import Stream

from learning_api.accounts.auth import any_user
from learning_api.privacy import service


class PrivacyController(Controller):
    path = "/me"
    tags = ["privacy"]
    guards = [any_user]

    @get("/export", operation_id="exportMyData", media_type="application/json")
    async def export(self, request: Request, state: State) -> Stream:
        """Download all my data

        Everything stored about the caller as one JSON document, streamed as it is read from the
        database (it grows with every answer), never all in memory.
        """
        return Stream(
            service.export_chunks(state.sessionmaker, request.user.id),
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="keelerada-my-data.json"'},
        )
