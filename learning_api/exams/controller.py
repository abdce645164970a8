"""HTTP for the mock tasemeeksam: start, list, read (resume), open a part, answer, submit a part."""

from __future__ import annotations

import uuid
from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from learning_api.accounts import service as accounts
from learning_api.accounts.auth import any_user
from learning_api.clock import Now
from learning_api.db.session import DbSession
from learning_api.db.tables import LearnerProfile, MockExam, MockExamPart
from learning_api.errors import Conflict, InvalidInput, NotFound
from learning_api.exams import service, views
from learning_api.exams.schemas import ExamAnswerIn, ExamAnswerOut, ExamOut, ExamStartIn, ExamSummaryOut
from learning_api.modelling.params import Cuts
from learning_api.study.bank import published_bank


async def _current(
    request: Request, db_session: DbSession, exam_id: uuid.UUID, now: datetime, cuts: tuple[float, ...]
) -> tuple[LearnerProfile, MockExam, dict[str, MockExamPart]]:
    """The learner's profile and exam, locked, with the parts whose time ran out closed and scored."""
    profile = await accounts.get_profile(db_session, request.user.id)
    exam, parts = await service.load(db_session, request.user.id, exam_id, for_update=True)
    await service.close_due_parts(db_session, exam, parts, now, profile.time_zone, cuts)
    return profile, exam, parts


async def _out(
    state: State,
    db_session: DbSession,
    profile: LearnerProfile,
    exam: MockExam,
    parts: dict[str, MockExamPart],
    now: datetime,
) -> ExamOut:
    """The exam as it stands now, from rows already loaded in this request."""
    return await views.exam_out(
        exam,
        parts,
        await service.answers_of(db_session, exam),
        (await published_bank(db_session, state.store)).entries,
        state.store,
        profile.instruction_language,
        now,
        state.settings.media_url_ttl,
    )


class ExamsController(Controller):
    path = "/exams"
    tags = ["exams"]
    guards = [any_user]

    @post("/", operation_id="startMockExam", raises=[Conflict], status_code=HTTP_201_CREATED)
    async def start(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        cuts: Cuts,
        data: JSONBody[ExamStartIn],
    ) -> ExamOut:
        """Start a mock exam

        Assembles a mock tasemeeksam at A2 or B1 from the published course: listening, reading, writing
        and speaking, 25 points each, with the exam's time limits per part. Idempotent by the client's
        `id`: sending it again returns the same exam. 409 names the parts the course cannot fill yet.
        """
        await service.start(db_session, state.store, request.user.id, data.id, data.level, data.seed, now)
        return await _out(state, db_session, *await _current(request, db_session, data.id, now, cuts), now)

    @get("/", operation_id="listMockExams")
    async def list_exams(self, request: Request, db_session: DbSession) -> list[ExamSummaryOut]:
        """List my mock exams

        Newest first (up to 50), each with its result so far.
        """
        return [
            views.summary_out(exam, parts)
            for exam, parts in await service.exams_of(db_session, request.user.id)
        ]

    @get("/{exam_id:uuid}", operation_id="getMockExam", raises=[NotFound])
    async def get_one(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        cuts: Cuts,
        exam_id: FromPath[uuid.UUID],
    ) -> ExamOut:
        """Read a mock exam

        Its parts, clocks, the exercises of the parts opened with the answers given, and the result:
        what an app needs to resume after a dropped connection. Parts whose time ran out are closed.
        """
        return await _out(state, db_session, *await _current(request, db_session, exam_id, now, cuts), now)

    @post(
        "/{exam_id:uuid}/parts/{part:str}/open",
        operation_id="openMockExamPart",
        raises=[NotFound, Conflict, InvalidInput],
        status_code=HTTP_200_OK,
    )
    async def open_part(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        cuts: Cuts,
        exam_id: FromPath[uuid.UUID],
        part: FromPath[str],
    ) -> ExamOut:
        """Open a part of a mock exam

        Starts the part's clock (the server's); opening it again changes nothing. One part at a time.
        """
        profile, exam, parts = await _current(request, db_session, exam_id, now, cuts)
        service.open_part(parts, part, exam.level, now)
        return await _out(state, db_session, profile, exam, parts, now)

    @post(
        "/{exam_id:uuid}/answers",
        operation_id="answerMockExamItem",
        raises=[NotFound, Conflict, InvalidInput],
        status_code=HTTP_200_OK,
    )
    async def answer(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        exam_id: FromPath[uuid.UUID],
        data: JSONBody[ExamAnswerIn],
    ) -> ExamAnswerOut:
        """Answer an item of the open part

        Replaces an earlier answer to the same item. Refused with 409 once the part's time (and a short
        grace) has run out. Whether it was right is shown when the part is closed, as in the exam.
        """
        profile = await accounts.get_profile(db_session, request.user.id)
        exam, parts = await service.load(db_session, request.user.id, exam_id, for_update=True)
        row = await service.answer(
            db_session, state.store, exam, parts, data.item_id, data.response, data.submission_id,
            profile.instruction_language, now,
        )  # fmt: skip
        assert row.deadline is not None
        return ExamAnswerOut(item_id=data.item_id, part=row.part, status="recorded", deadline=row.deadline)  # type: ignore[arg-type]

    @post(
        "/{exam_id:uuid}/parts/{part:str}/submit",
        operation_id="submitMockExamPart",
        raises=[NotFound, Conflict, InvalidInput],
        status_code=HTTP_200_OK,
    )
    async def submit(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        cuts: Cuts,
        exam_id: FromPath[uuid.UUID],
        part: FromPath[str],
    ) -> ExamOut:
        """Submit a part of a mock exam

        Closes the part: a listening or reading part is scored at once, a writing or speaking part when
        a teacher has scored its submissions. Submitting again changes nothing.
        """
        profile = await accounts.get_profile(db_session, request.user.id)
        exam, parts = await service.load(db_session, request.user.id, exam_id, for_update=True)
        await service.submit_part(db_session, exam, parts, part, now, profile.time_zone, cuts)
        await service.close_due_parts(db_session, exam, parts, now, profile.time_zone, cuts)
        return await _out(state, db_session, profile, exam, parts, now)
