"""HTTP for writing and speaking: the learner hands in and reads back (/submissions), a teacher of the
learner's class scores on the rubric (/scoring/submissions)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from learning_api.accounts.auth import any_user, requires_role
from learning_api.clock import Now
from learning_api.db.session import DbSession
from learning_api.db.tables import Submission
from learning_api.errors import Conflict, InvalidInput, NotFound, request_language
from learning_api.pagination import Paging
from learning_api.submissions import scoring, service
from learning_api.submissions.schemas import (
    RubricOut,
    ScoresIn,
    ScoringOut,
    ScoringPage,
    SpeakingIn,
    SpeakingUpload,
    SubmissionOut,
    SubmissionPage,
    WritingIn,
)


async def _shown(request: Request, state: State, submission: Submission) -> SubmissionOut:
    """One submission as its learner reads it, in their language, with a fresh link to a recording."""
    lang, ttl = request_language(request), state.settings.media_url_ttl
    (out,) = await service.rendered([submission], lang, state.store, ttl)
    return out


class SubmissionsController(Controller):
    path = "/submissions"
    tags = ["submissions"]
    guards = [any_user]

    @get("/", operation_id="mySubmissions")
    async def mine(
        self, request: Request, state: State, db_session: DbSession, page: Paging
    ) -> SubmissionPage:
        """List my writing and speaking submissions

        Newest first, paged; each with its check, and its score and comment once scored.
        """
        rows, next_offset = await service.mine(db_session, request.user.id, page)
        lang = request_language(request)
        return service.page_out(
            await service.rendered(rows, lang, state.store, state.settings.media_url_ttl), page, next_offset
        )

    @get("/rubric", operation_id="submissionRubric")
    async def rubric(self, request: Request) -> RubricOut:
        """The exam's criteria for writing and speaking

        What a submission is scored on: each criterion 0–5, scaled to the part's 25 points.
        """
        return scoring.rubric_out(request_language(request))

    @post(
        "/writing",
        operation_id="submitWriting",
        raises=[NotFound, InvalidInput],
        status_code=HTTP_201_CREATED,
    )
    async def writing(
        self, request: Request, state: State, db_session: DbSession, now: Now, data: JSONBody[WritingIn]
    ) -> SubmissionOut:
        """Hand in a text for a writing task

        Checked at once (length against the task's limits, unknown words, forms Estonian does not have,
        with feedback in my language), then pending until a teacher scores it or I assess it myself.
        """
        made = await service.hand_in_text(db_session, state.store, request.user.id, data, now)
        return await _shown(request, state, made)

    @post(
        "/speaking",
        operation_id="startSpeaking",
        raises=[NotFound, InvalidInput],
        status_code=HTTP_201_CREATED,
    )
    async def speaking(
        self, request: Request, state: State, db_session: DbSession, now: Now, data: JSONBody[SpeakingIn]
    ) -> SpeakingUpload:
        """Start a recording for a speaking task

        Returns a presigned URL to PUT the recording to (the content type announced, at most
        `max_bytes`); then confirm it with POST /submissions/{id}/confirm.
        """
        made, url = await service.start_recording(db_session, state.store, request.user.id, data, now)
        return service.upload_of(await _shown(request, state, made), url, made.audio_type or "", now)

    @get("/{submission_id:uuid}", operation_id="mySubmission", raises=[NotFound])
    async def one(
        self, request: Request, state: State, db_session: DbSession, submission_id: FromPath[uuid.UUID]
    ) -> SubmissionOut:
        """Read one of my submissions

        With its check, a link to my recording, and the score and comment once scored.
        """
        found = await service.own(db_session, request.user.id, submission_id)
        return await _shown(request, state, found)

    @post(
        "/{submission_id:uuid}/confirm",
        operation_id="confirmSpeaking",
        raises=[NotFound, Conflict, InvalidInput],
        status_code=HTTP_200_OK,
    )
    async def confirm(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        submission_id: FromPath[uuid.UUID],
    ) -> SubmissionOut:
        """Confirm an uploaded recording

        The server checks the object (it exists, its size is within the limit, its type and first bytes
        are audio of the announced type); only then is the submission pending for a teacher.
        """
        found = await service.confirm_recording(db_session, state.store, request.user.id, submission_id, now)
        return await _shown(request, state, found)

    @post(
        "/{submission_id:uuid}/self-assessment",
        operation_id="assessMySubmission",
        raises=[NotFound, Conflict, InvalidInput],
        status_code=HTTP_200_OK,
    )
    async def self_assess(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        submission_id: FromPath[uuid.UUID],
        data: JSONBody[ScoresIn],
    ) -> SubmissionOut:
        """Assess my own submission on the rubric

        Marked as self-assessed; it counts half as much as a teacher's score toward my level.
        """
        found = await service.own(db_session, request.user.id, submission_id)
        scores = {str(k): v for k, v in data.scores.items()}
        await service.record_score(
            db_session, state.params, found, scores, data.comment, request.user.id, now
        )
        return await _shown(request, state, found)


class ScoringController(Controller):
    path = "/scoring/submissions"
    tags = ["submissions"]
    guards = [requires_role("teacher")]

    @get("/", operation_id="submissionsToScore")
    async def queue(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        page: Paging,
        status: Annotated[
            Literal["pending", "scored", "self_assessed"],
            QueryParameter(description="pending (default): oldest first; scored: newest score first"),
        ] = "pending",
    ) -> ScoringPage:
        """List submissions to score (teacher)

        Writing and speaking submissions of the learners in my classes (an admin: everyone's), paged.
        """
        items, next_offset = await scoring.queue(
            db_session, state.store, request.user, status, request_language(request), page,
            state.settings.media_url_ttl,
        )  # fmt: skip
        return ScoringPage(items=items, limit=page.limit, offset=page.offset, next_offset=next_offset)

    @get("/{submission_id:uuid}", operation_id="submissionToScore", raises=[NotFound])
    async def one(
        self, request: Request, state: State, db_session: DbSession, submission_id: FromPath[uuid.UUID]
    ) -> ScoringOut:
        """Read a submission to score (teacher)

        The text, or a presigned URL to play the recording, and the rubric's criteria.
        """
        found, email = await scoring.one(db_session, request.user, submission_id)
        return await scoring.scoring_out(
            found, email, request_language(request), state.store, state.settings.media_url_ttl
        )

    @post(
        "/{submission_id:uuid}/score",
        operation_id="scoreSubmission",
        raises=[NotFound, Conflict, InvalidInput],
        status_code=HTTP_200_OK,
    )
    async def score(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        submission_id: FromPath[uuid.UUID],
        data: JSONBody[ScoresIn],
    ) -> ScoringOut:
        """Score a submission on the rubric (teacher)

        Every criterion 0–5 and a comment; the learner sees both, and the score feeds their ability in
        writing or speaking.
        """
        found, email = await scoring.one(db_session, request.user, submission_id)
        scores = {str(k): v for k, v in data.scores.items()}
        await service.record_score(
            db_session, state.params, found, scores, data.comment, request.user.id, now
        )
        return await scoring.scoring_out(
            found, email, request_language(request), state.store, state.settings.media_url_ttl
        )
