"""HTTP for the catalog: courses, published lessons and items, for any logged-in user.

Every document carries an ETag and answers ``If-None-Match`` with 304 (learning_api.caching); a lesson
at its versioned URL ``/catalog/lessons/{id}/versions/{version}/{lang}`` never changes, so the app may
keep it for good.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, Parameter

from learning_api.accounts.auth import any_user
from learning_api.caching import IMMUTABLE, NOT_MODIFIED, REVALIDATE, cached
from learning_api.catalog import service
from learning_api.catalog.schemas import CoursePage, ItemOut, LessonDetail, LessonPage
from learning_api.db.session import DbSession
from learning_api.errors import InvalidInput, NotFound
from learning_api.pagination import Paging


class CatalogController(Controller):
    path = "/catalog"
    tags = ["catalog"]
    guards = [any_user]

    @get("/courses", operation_id="listCourses", responses=NOT_MODIFIED)
    async def courses(self, request: Request, db_session: DbSession, page: Paging) -> Response[CoursePage]:
        """List the courses

        Every course with the number of its published lessons, paged; revalidate with If-None-Match.
        """
        return cached(request, await service.list_courses(db_session, page), REVALIDATE)

    @get(
        "/courses/{course_id:str}/lessons",
        operation_id="listLessons",
        raises=[NotFound],
        responses=NOT_MODIFIED,
    )
    async def lessons(
        self, request: Request, course_id: FromPath[str], db_session: DbSession, page: Paging
    ) -> Response[LessonPage]:
        """List a course's lessons

        The published lessons of one course in course order, paged; revalidate with If-None-Match.
        """
        return cached(request, await service.list_lessons(db_session, course_id, page), REVALIDATE)

    @get(
        "/lessons/{lesson_id:str}",
        operation_id="getLesson",
        raises=[InvalidInput, NotFound],
        responses=NOT_MODIFIED,
    )
    async def lesson(
        self,
        lesson_id: FromPath[str],
        db_session: DbSession,
        state: State,
        request: Request,
        lang: FromQuery[str | None] = None,
    ) -> Response[LessonDetail]:
        """Read a lesson

        The published version, whichever it is now, with its vocabulary and exercises rendered in the
        learner's language (`lang`, else the profile's), without answers. Revalidate with If-None-Match.
        """
        language = await service.learner_language(db_session, request.user.id, lang)
        detail = await service.lesson_detail(
            db_session, state.store, lesson_id, lang=language, user_id=request.user.id,
            media_base_url=state.settings.public_base_url,
        )  # fmt: skip
        return cached(request, detail, REVALIDATE)

    @get(
        "/lessons/{lesson_id:str}/versions/{version:int}/{lang:str}",
        operation_id="getLessonVersion",
        raises=[InvalidInput, NotFound],
        responses=NOT_MODIFIED,
    )
    async def lesson_version(
        self,
        lesson_id: FromPath[str],
        version: Annotated[int, Parameter(ge=1)],
        lang: FromPath[str],
        db_session: DbSession,
        state: State,
        request: Request,
    ) -> Response[LessonDetail]:
        """Read a lesson version (immutable)

        One version in one language: immutable, cached for good. Only the published version is served
        (404 otherwise: the lesson list names the current one).
        """
        language = await service.learner_language(db_session, request.user.id, lang)
        detail = await service.lesson_detail(
            db_session, state.store, lesson_id, lang=language, user_id=request.user.id,
            media_base_url=state.settings.public_base_url, version=version,
        )  # fmt: skip
        return cached(request, detail, IMMUTABLE)

    @get(
        "/items/{item_id:str}",
        operation_id="getItem",
        raises=[InvalidInput, NotFound],
        responses=NOT_MODIFIED,
    )
    async def item(
        self,
        item_id: FromPath[str],
        db_session: DbSession,
        state: State,
        request: Request,
        lang: FromQuery[str | None] = None,
    ) -> Response[ItemOut]:
        """Read an exercise

        One published exercise, rendered like in a lesson, with its level, skill and topic.
        """
        language = await service.learner_language(db_session, request.user.id, lang)
        detail = await service.item_detail(
            db_session, state.store, item_id, lang=language, user_id=request.user.id,
            media_base_url=state.settings.public_base_url,
        )  # fmt: skip
        return cached(request, detail, REVALIDATE)
