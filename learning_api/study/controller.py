"""HTTP for daily study: the next session, and answers (one, or an offline batch of up to 500)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from learning_api.accounts import service as accounts
from learning_api.accounts.auth import any_user
from learning_api.clock import Now
from learning_api.db.session import DbSession
from learning_api.errors import Conflict, NotFound
from learning_api.input_guard import PER_ENTRY
from learning_api.study.answers import record_answers
from learning_api.study.batch import decode_entries
from learning_api.study.schemas import AnswerBatch, AnswerIn, AnswersOut, SessionOut, TranscriptOut
from learning_api.study.session import build_session
from learning_api.study.transcripts import transcript


class StudyController(Controller):
    path = "/study"
    tags = ["study"]
    guards = [any_user]

    @get("/session", operation_id="studySession")
    async def session(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        size: Annotated[int | None, QueryParameter(ge=1, le=100)] = None,
        seed: Annotated[int | None, QueryParameter(ge=0, le=2**63 - 1)] = None,
    ) -> SessionOut:
        """Get the next study session

        Due reviews (lowest predicted recall first) and new items in the learner's stretch zone,
        rendered in the instruction language, without answers. `seed` makes the choice repeatable.
        """
        profile = await accounts.request_profile(db_session, request.user)
        return await build_session(
            db_session,
            state.store,
            request.user.id,
            profile,
            now,
            size=size or profile.daily_goal_items,
            seed=seed if seed is not None else int(now.timestamp()),
            media_ttl=state.settings.media_url_ttl,
            params=state.params,
        )

    @post("/answers", operation_id="submitAnswers", status_code=HTTP_200_OK, opt=PER_ENTRY, raises=[Conflict])
    async def answers(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        data: JSONBody[AnswerIn | AnswerBatch],
    ) -> AnswersOut:
        """Send answers

        One answer (an object) or an offline batch (an array of up to 500). Idempotent by the client's
        `id`: a replayed answer is a `duplicate` and changes nothing. Each entry of a batch is read on its
        own: an unreadable or refused one is `rejected` with its index and the field, the others land.
        409 when an `id` of the batch was logged, with another item, while the batch was being written:
        nothing of the batch stays; sent again, that answer is a `duplicate`.
        """
        readable, rejected = decode_entries(data) if isinstance(data, list) else ([(0, data)], [])
        profile = await accounts.request_profile(db_session, request.user)
        recorded = await record_answers(
            db_session,
            state.store,
            request.user.id,
            profile.instruction_language,
            readable,
            now,
            time_zone=profile.time_zone,
            params=state.params,
        )
        results = sorted(rejected + recorded, key=lambda result: result.index)
        return AnswersOut(
            accepted=sum(r.status == "accepted" for r in results),
            duplicates=sum(r.status == "duplicate" for r in results),
            rejected=sum(r.status == "rejected" for r in results),
            results=results,
        )

    @get("/dialogues/{group:str}/transcript", operation_id="dialogueTranscript", raises=[NotFound, Conflict])
    async def dialogue_transcript(
        self, request: Request, state: State, db_session: DbSession, group: FromPath[str]
    ) -> TranscriptOut:
        """Get a dialogue's transcript

        The turns of a dialogue (`group` of its question items), once the learner has answered every one
        of its questions: 409 before that, since the turns hold the answers; 404 for no published dialogue.
        """
        return await transcript(db_session, state.store, request.user.id, group)
