"""HTTP for progress: the overview screen and the history chart."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from learning_api.accounts import service as accounts
from learning_api.accounts.auth import any_user
from learning_api.clock import Now
from learning_api.db.session import DbSession
from learning_api.modelling.params import Cuts
from learning_api.progress import service
from learning_api.progress.overview import build_overview
from learning_api.progress.schemas import HistoryOut, ProgressOut


class ProgressController(Controller):
    path = "/progress"
    tags = ["progress"]
    guards = [any_user]

    @get("/", operation_id="progress")
    async def overview(self, request: Request, db_session: DbSession, now: Now, cuts: Cuts) -> ProgressOut:
        """Read my progress

        Level per skill, exam readiness and forecast, words known, reviews due, streak and a weekly plan.
        """
        profile = await accounts.request_profile(db_session, request.user)
        return await build_overview(db_session, request.user.id, now, cuts, profile)

    @get("/history", operation_id="progressHistory")
    async def history(
        self,
        request: Request,
        db_session: DbSession,
        now: Now,
        days: Annotated[int, QueryParameter(ge=1, le=730)] = 90,
    ) -> HistoryOut:
        """Read my daily history

        Answers, correct share and new words per day for the last `days` days.
        """
        profile = await accounts.get_profile(db_session, request.user.id)
        return await service.history(db_session, request.user.id, profile, days, now)
