"""HTTP for the catalog: courses, published lessons and items, for any logged-in user."""

from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from learning_api.accounts.auth import any_user
from learning_api.catalog import service
from learning_api.catalog.schemas import CourseOut, ItemOut, LessonDetail, LessonOut
from learning_api.db.session import DbSession
from learning_api.errors import InvalidInput, NotFound


def _ttl(state: State) -> timedelta:
    return timedelta(minutes=state.settings.media_url_ttl_minutes)


class CatalogController(Controller):
    path = "/catalog"
    tags = ["catalog"]
    guards = [any_user]

    @get("/courses", operation_id="listCourses")
    async def courses(self, db_session: DbSession) -> list[CourseOut]:
        """List the courses

        Every course with the number of its published lessons.
        """
        return await service.list_courses(db_session)

    @get("/courses/{course_id:str}/lessons", operation_id="listLessons", raises=[NotFound])
    async def lessons(self, course_id: FromPath[str], db_session: DbSession) -> list[LessonOut]:
        """List a course's lessons

        The published lessons of one course, in course order.
        """
        return await service.list_lessons(db_session, course_id)

    @get("/lessons/{lesson_id:str}", operation_id="getLesson", raises=[InvalidInput, NotFound])
    async def lesson(
        self,
        lesson_id: FromPath[str],
        db_session: DbSession,
        state: State,
        request: Request,
        lang: FromQuery[str | None] = None,
    ) -> LessonDetail:
        """Read a lesson

        The published version with its vocabulary and exercises rendered in the learner's language
        (`lang`, else the profile's): no answers, media as presigned URLs.
        """
        language = await service.learner_language(db_session, request.user.id, lang)
        return await service.lesson_detail(
            db_session, state.store, lesson_id, lang=language, user_id=request.user.id, ttl=_ttl(state)
        )

    @get("/items/{item_id:str}", operation_id="getItem", raises=[InvalidInput, NotFound])
    async def item(
        self,
        item_id: FromPath[str],
        db_session: DbSession,
        state: State,
        request: Request,
        lang: FromQuery[str | None] = None,
    ) -> ItemOut:
        """Read an exercise

        One published exercise, rendered like in a lesson, with its level, skill and topic.
        """
        language = await service.learner_language(db_session, request.user.id, lang)
        return await service.item_detail(
            db_session, state.store, item_id, lang=language, user_id=request.user.id, ttl=_ttl(state)
        )
