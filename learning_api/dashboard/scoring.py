"""The teacher's scoring pages: the writing and speaking submissions of their classes, and a form to
score one on the exam's rubric.

The pages are a face on the submissions domain's services (`submissions.scoring` decides who sees what,
`submissions.service.record_score` checks the scores and feeds the learner's ability): nothing about
scoring is decided here, so the API and the dashboard cannot disagree."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from learning_api.accounts.auth import PUBLIC
from learning_api.clock import Now
from learning_api.dashboard.pages import PAGE_HANDLERS, form_of, page, page_language, require, signed_in_user
from learning_api.db.session import DbSession
from learning_api.errors import InvalidInput
from learning_api.pagination import MAX_LIMIT, PageQuery
from learning_api.submissions import rubric, scoring, service

STATUSES = ("pending", "scored")


class DashboardScoringController(Controller):
    path = "/dashboard/submissions"
    include_in_schema = False
    opt = PUBLIC  # the pages check their cookie and role themselves, like every dashboard page
    exception_handlers = PAGE_HANDLERS

    @get("/")
    async def queue(
        self, request: Request, state: State, db_session: DbSession, status: FromQuery[str] = "pending",
        scored: FromQuery[uuid.UUID | None] = None,
    ) -> Template:  # fmt: skip
        """Pending first and oldest first (the fair order to score them in); `scored` names the one just
        scored, so the page can say it was saved."""
        user = require(await signed_in_user(request, db_session), "teacher")
        status = status if status in STATUSES else "pending"
        lang = page_language(request)
        entries, _ = await scoring.queue(
            db_session, state.store, user, status, lang, PageQuery(limit=MAX_LIMIT),
            state.settings.media_url_ttl,
        )  # fmt: skip
        return page(
            request, "submissions.html", user=user, entries=entries, status=status, statuses=STATUSES,
            scored=scored,
        )  # fmt: skip

    @get("/{submission_id:uuid}")
    async def one(
        self, request: Request, state: State, db_session: DbSession, submission_id: FromPath[uuid.UUID]
    ) -> Template:
        """The task, the learner's text with the immediate check's findings (or the recording to play),
        and the rubric's criteria as radio groups."""
        user = require(await signed_in_user(request, db_session), "teacher")
        lang = page_language(request)
        found, email = await scoring.one(db_session, user, submission_id)
        shown = await scoring.scoring_out(found, email, lang, state.store, state.settings.media_url_ttl)
        described = scoring.rubric_out(lang)
        return page(
            request, "score.html", user=user, entry=shown,
            criteria=described.writing if found.kind == "writing" else described.speaking,
            levels=range(rubric.CRITERION_MAX + 1),
        )  # fmt: skip

    @post("/{submission_id:uuid}")
    async def score(
        self, request: Request, state: State, db_session: DbSession, now: Now,
        submission_id: FromPath[uuid.UUID],
    ) -> Response[Any]:  # fmt: skip
        user = require(await signed_in_user(request, db_session), "teacher")
        found, _email = await scoring.one(db_session, user, submission_id)
        form = await form_of(request)
        scores: dict[str, int] = {}
        for criterion in rubric.criteria_of(found.kind):
            try:
                scores[criterion] = int(str(form.get(criterion, "")))
            except ValueError:
                raise InvalidInput(
                    f"scores.{criterion}: choose a whole number from 0 to {rubric.CRITERION_MAX}",
                    field=f"scores.{criterion}",
                ) from None
        comment = str(form.get("comment", ""))[:4000]
        await service.record_score(db_session, state.params, found, scores, comment, user.id, now)
        return Redirect(f"/dashboard/submissions?scored={found.id}")
