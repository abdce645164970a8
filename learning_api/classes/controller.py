"""HTTP for teachers' classes and learners' assignments."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta
from typing import Literal

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from learning_api.accounts import service as accounts
from learning_api.accounts.auth import any_user, requires_role
from learning_api.classes import assignments, service
from learning_api.classes import report as reports
from learning_api.classes.schemas import (
    AssignmentIn,
    AssignmentOut,
    AssignmentPage,
    AssignmentPatch,
    ClassAssignmentPage,
    ClassIn,
    ClassOut,
    ClassPage,
    ClassReport,
    ExerciseSetIn,
    ExerciseSetOut,
    ExerciseSetPage,
    ExerciseSetPatch,
    JoinIn,
    MemberPage,
    ReportRow,
)
from learning_api.clock import Now
from learning_api.db.session import DbSession
from learning_api.db.tables import ExerciseSet
from learning_api.errors import Conflict, InvalidInput, NotFound
from learning_api.openapi import WithCsvAlternative, report_responses
from learning_api.pagination import Paging

teacher = requires_role("teacher")


class ClassesController(Controller):
    path = "/classes"
    tags = ["classes"]

    @post("/", operation_id="createClass", guards=[teacher], status_code=HTTP_201_CREATED)
    async def create(self, request: Request, data: JSONBody[ClassIn], db_session: DbSession) -> ClassOut:
        """Create a class (teacher)

        A class with a join code for learners.
        """
        return service.class_out(await service.create_class(db_session, request.user.id, data.name), 0)

    @get("/", operation_id="myClasses", guards=[any_user])
    async def mine(self, request: Request, db_session: DbSession, page: Paging) -> ClassPage:
        """List my classes

        The classes the caller teaches or has joined (join codes only for the teacher's own), paged.
        """
        return await service.classes_of(db_session, request.user, page)

    @post(
        "/join", operation_id="joinClass", raises=[NotFound], guards=[any_user], status_code=HTTP_201_CREATED
    )
    async def join(
        self, request: Request, data: JSONBody[JoinIn], db_session: DbSession, now: Now
    ) -> ClassOut:
        """Join a class

        Join with the code the teacher gave.
        """
        row = await service.join(db_session, request.user.id, data.code, now)
        counts = await service.member_counts(db_session, [row.id])
        return service.class_out(row, counts.get(row.id, 0), show_code=False)

    @get("/{class_id:uuid}/members", operation_id="classMembers", raises=[NotFound], guards=[teacher])
    async def members(
        self, request: Request, class_id: FromPath[uuid.UUID], db_session: DbSession, page: Paging
    ) -> MemberPage:
        """List a class's learners (teacher)

        The learners of one of the caller's classes, paged.
        """
        row = await service.owned_class(db_session, request.user, class_id)
        return await service.member_page(db_session, row, page)

    @post(
        "/{class_id:uuid}/assignments",
        operation_id="assignSet",
        raises=[NotFound, InvalidInput],
        guards=[teacher],
        status_code=HTTP_201_CREATED,
    )
    async def assign(
        self,
        request: Request,
        class_id: FromPath[uuid.UUID],
        data: JSONBody[AssignmentIn],
        db_session: DbSession,
        now: Now,
    ) -> dict[str, str]:
        """Assign an exercise set (teacher)

        Gives one of the caller's exercise sets to a class with a due date in the future.
        """
        row = await service.owned_class(db_session, request.user, class_id)
        assignment = await assignments.assign(db_session, request.user, row, data, now)
        return {"id": str(assignment.id), "due_at": assignment.due_at.isoformat()}

    @delete(
        "/{class_id:uuid}/members/{learner_id:uuid}",
        operation_id="removeClassMember",
        raises=[NotFound],
        guards=[teacher],
    )
    async def remove_member(
        self,
        request: Request,
        class_id: FromPath[uuid.UUID],
        learner_id: FromPath[uuid.UUID],
        db_session: DbSession,
    ) -> None:
        """Remove a learner from a class (teacher)

        Their own study data stays theirs.
        """
        row = await service.owned_class(db_session, request.user, class_id)
        await service.remove_member(db_session, row, learner_id)

    @get("/{class_id:uuid}/assignments", operation_id="classAssignments", raises=[NotFound], guards=[teacher])
    async def assignments(
        self, request: Request, class_id: FromPath[uuid.UUID], db_session: DbSession, page: Paging
    ) -> ClassAssignmentPage:
        """List a class's assignments (teacher)

        Each assignment of the class with how many learners have done it, paged.
        """
        row = await service.owned_class(db_session, request.user, class_id)
        return await assignments.assignments_progress(db_session, row, page)

    @patch(
        "/{class_id:uuid}/assignments/{assignment_id:uuid}",
        operation_id="updateAssignment",
        raises=[NotFound, InvalidInput],
        guards=[teacher],
    )
    async def update_assignment(
        self,
        request: Request,
        class_id: FromPath[uuid.UUID],
        assignment_id: FromPath[uuid.UUID],
        data: JSONBody[AssignmentPatch],
        db_session: DbSession,
        now: Now,
    ) -> dict[str, str]:
        """Move an assignment's due date (teacher)

        The new due date must lie in the future.
        """
        row = await service.owned_class(db_session, request.user, class_id)
        assignment = await assignments.reschedule(db_session, row, assignment_id, data.due_at, now)
        return {"id": str(assignment.id), "due_at": data.due_at.isoformat()}

    @delete(
        "/{class_id:uuid}/assignments/{assignment_id:uuid}",
        operation_id="deleteAssignment",
        raises=[NotFound],
        guards=[teacher],
    )
    async def delete_assignment(
        self,
        request: Request,
        class_id: FromPath[uuid.UUID],
        assignment_id: FromPath[uuid.UUID],
        db_session: DbSession,
    ) -> None:
        """Delete an assignment (teacher)

        Learners' answers stay; the assignment goes from their lists.
        """
        row = await service.owned_class(db_session, request.user, class_id)
        await assignments.delete_assignment(db_session, row, assignment_id)

    @get(
        "/{class_id:uuid}/report",
        operation_id="classReport",
        raises=[NotFound, InvalidInput],
        guards=[teacher],
        responses={200: report_responses(ClassReport)},
        operation_class=WithCsvAlternative,
    )
    async def report(
        self,
        request: Request,
        class_id: FromPath[uuid.UUID],
        db_session: DbSession,
        now: Now,
        since: FromQuery[datetime | None] = None,
        until: FromQuery[datetime | None] = None,
        format: FromQuery[Literal["json", "csv"]] = "json",
    ) -> Response[ClassReport] | Response[str]:
        """Read a class report (teacher)

        Each learner's answers and correct share in the period (default: the last 7 days), last answer
        and assignments done. `since`/`until` are ISO times with a zone; `format=csv` gives the same
        rows as a CSV file.
        """
        end = until or now
        start = since or end - timedelta(days=7)
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidInput(
                "give since and until with a time zone", field="since" if start.tzinfo is None else "until"
            )
        if start >= end:
            raise InvalidInput("since must come before until", field="since")
        row = await service.owned_class(db_session, request.user, class_id)
        rows = await reports.report(db_session, row, start, end)
        if format == "csv":
            disposition = f'attachment; filename="class-{class_id}.csv"'
            return Response(_csv(rows), media_type="text/csv", headers={"Content-Disposition": disposition})
        return Response(ClassReport(row.id, row.name, now, start, end, rows))


def _csv(rows: list[ReportRow]) -> str:
    out = io.StringIO()
    fields = list(ReportRow.__struct_fields__)
    writer = csv.writer(out)
    writer.writerow(fields)
    for row in rows:
        writer.writerow(
            [v if v is not None else "" for v in msgspec.to_builtins([getattr(row, f) for f in fields])]
        )
    return out.getvalue()


class ExerciseSetsController(Controller):
    path = "/exercise-sets"
    tags = ["classes"]
    guards = [teacher]

    @post("/", operation_id="createExerciseSet", raises=[InvalidInput], status_code=HTTP_201_CREATED)
    async def create(
        self, request: Request, state: State, data: JSONBody[ExerciseSetIn], db_session: DbSession
    ) -> ExerciseSetOut:
        """Create an exercise set (teacher)

        A titled list of published exercises, to assign to classes.
        """
        row = await service.create_set(db_session, state.store, request.user.id, data.title, data.item_ids)
        return _set_out(row)

    @get("/", operation_id="myExerciseSets")
    async def mine(self, request: Request, db_session: DbSession, page: Paging) -> ExerciseSetPage:
        """List my exercise sets (teacher)

        The sets the caller made, newest first, paged.
        """
        rows, next_offset = await service.sets_of(db_session, request.user.id, page)
        return ExerciseSetPage([_set_out(row) for row in rows], page.limit, page.offset, next_offset)

    @get("/{set_id:uuid}", operation_id="exerciseSet", raises=[NotFound])
    async def one(
        self, request: Request, set_id: FromPath[uuid.UUID], db_session: DbSession
    ) -> ExerciseSetOut:
        """Read an exercise set (teacher)

        One of the caller's sets with its exercises.
        """
        return _set_out(await service.owned_set(db_session, request.user, set_id))

    @patch("/{set_id:uuid}", operation_id="updateExerciseSet", raises=[NotFound, InvalidInput])
    async def update(
        self,
        request: Request,
        state: State,
        set_id: FromPath[uuid.UUID],
        data: JSONBody[ExerciseSetPatch],
        db_session: DbSession,
    ) -> ExerciseSetOut:
        """Change an exercise set (teacher)

        Rename it or change its exercises (published ones only).
        """
        row = await service.owned_set(db_session, request.user, set_id)
        return _set_out(await service.update_set(db_session, state.store, row, data.title, data.item_ids))

    @delete("/{set_id:uuid}", operation_id="deleteExerciseSet", raises=[NotFound, Conflict])
    async def remove(self, request: Request, set_id: FromPath[uuid.UUID], db_session: DbSession) -> None:
        """Delete an exercise set (teacher)

        Refused while a class still has it assigned.
        """
        await service.delete_set(db_session, await service.owned_set(db_session, request.user, set_id))


def _set_out(row: ExerciseSet) -> ExerciseSetOut:
    return ExerciseSetOut(row.id, row.title, row.item_ids, row.created_at)


class AssignmentsController(Controller):
    path = "/assignments"
    tags = ["classes"]
    guards = [any_user]

    @get("/", operation_id="myAssignments")
    async def mine(self, request: Request, db_session: DbSession, now: Now, page: Paging) -> AssignmentPage:
        """List my assignments

        The assignments of the classes the caller has joined: open, done or overdue, paged.
        """
        return await assignments.assignment_page(db_session, request.user.id, now, page)

    @get("/{assignment_id:uuid}", operation_id="myAssignment", raises=[NotFound])
    async def one(
        self,
        request: Request,
        state: State,
        assignment_id: FromPath[uuid.UUID],
        db_session: DbSession,
        now: Now,
    ) -> AssignmentOut:
        """Read an assignment

        With its exercises rendered for the learner; answer them at `POST /study/answers` with
        `source` "assignment".
        """
        lang = (await accounts.get_profile(db_session, request.user.id)).instruction_language
        return await assignments.assignment_detail(
            db_session, state.store, request.user.id, assignment_id, lang, now, state.settings.media_url_ttl
        )
