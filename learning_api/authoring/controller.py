"""HTTP for authors: validate a lesson text, upload a version, publish or unpublish, list lessons."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from learning_api.accounts.auth import requires_role
from learning_api.authoring import item_stats, publishing, service
from learning_api.authoring.schemas import (
    AuthoredLesson,
    AuthoredLessonPage,
    ItemStatsPage,
    LessonText,
    LessonUpload,
    PublishIn,
    UploadOut,
    ValidationOut,
)
from learning_api.db.session import DbSession
from learning_api.errors import Conflict, InvalidInput, NotFound
from learning_api.pagination import Paging, page_of


class AuthoringController(Controller):
    path = "/authoring/lessons"
    tags = ["authoring"]
    guards = [requires_role("author")]

    @get("/", operation_id="listAuthoredLessons")
    async def list_lessons(self, db_session: DbSession, page: Paging) -> AuthoredLessonPage:
        """List lessons for authors

        Every uploaded lesson with its published and latest version, paged.
        """
        return await service.lesson_page(db_session, page)

    @post("/validate", operation_id="validateLesson", raises=[InvalidInput], status_code=HTTP_200_OK)
    async def validate(self, data: JSONBody[LessonText], db_session: DbSession) -> ValidationOut:
        """Check a lesson file

        Validates a YAML lesson text (and its base64 media) without storing anything: each problem
        with its line.
        """
        report = await service.validate_text(db_session, data)
        return ValidationOut(ok=report.ok, problems=service.problems_out(report))

    @post("/", operation_id="uploadLesson", raises=[InvalidInput, Conflict], status_code=HTTP_201_CREATED)
    async def upload(
        self, data: JSONBody[LessonUpload], db_session: DbSession, state: State, request: Request
    ) -> UploadOut:
        """Upload a lesson version

        Stores a new version when the text changed (media by sha256 first, then the version in one
        transaction); `publish` serves it at once. A lesson with problems is refused with them by line.
        """
        outcome = await service.upload_text(
            db_session, state.store, data, publish=data.publish, author=request.user.email
        )
        return UploadOut(
            lesson_id=outcome.lesson_id,
            version=outcome.version,
            changed=outcome.changed,
            published=outcome.published,
            media_uploaded=outcome.media_uploaded,
        )

    @post(
        "/{lesson_id:str}/publish", operation_id="publishLesson", raises=[NotFound], status_code=HTTP_200_OK
    )
    async def publish(
        self, lesson_id: FromPath[str], data: JSONBody[PublishIn], db_session: DbSession, state: State
    ) -> AuthoredLesson:
        """Publish a lesson version

        Serves the given version (the latest when left out); an older one rolls back.
        """
        lesson = await publishing.publish_version(db_session, state.store, lesson_id, data.version)
        return service.authored(lesson)

    @post(
        "/{lesson_id:str}/unpublish",
        operation_id="unpublishLesson",
        raises=[NotFound],
        status_code=HTTP_200_OK,
    )
    async def unpublish(self, lesson_id: FromPath[str], db_session: DbSession) -> AuthoredLesson:
        """Hide a lesson

        Learners no longer get it; its versions stay.
        """
        return service.authored(await publishing.unpublish(db_session, lesson_id))

    @get("/{lesson_id:str}/items", operation_id="lessonItemStats", raises=[NotFound])
    async def item_stats(
        self, lesson_id: FromPath[str], db_session: DbSession, page: Paging
    ) -> ItemStatsPage:
        """Read item statistics of a lesson (author)

        Per exercise: attempts, share right on first tries and overall, median time, calibrated
        difficulty and discrimination, learners' ratings and error reports, and flags worth a look.
        """
        items, next_offset = page_of(await item_stats.lesson_item_stats(db_session, lesson_id, page), page)
        return ItemStatsPage(items, page.limit, page.offset, next_offset)
