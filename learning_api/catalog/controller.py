"""HTTP for the catalog: courses, published lessons and items, for any logged-in user."""

from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from learning_api.accounts.auth import any_user
from learning_api.catalog import service
from learning_api.catalog.schemas import CoursePage, ItemOut, LessonDetail, LessonPage
from learning_api.db.session import DbSession
from learning_api.pagination import Paging


def _ttl(state: State) -> timedelta:
    return timedelta(minutes=state.settings.media_url_ttl_minutes)


class CatalogController(Controller):
    path = "/catalog"
    tags = ["catalog"]
    guards = [any_user]

    @get("/courses", operation_id="listCourses")
    async def courses(self, db_session: DbSession, page: Paging) -> CoursePage:
        return await service.list_courses(db_session, page)

    @get("/courses/{course_id:str}/lessons", operation_id="listLessons")
    async def lessons(self, course_id: FromPath[str], db_session: DbSession, page: Paging) -> LessonPage:
        return await service.list_lessons(db_session, course_id, page)

    @get("/lessons/{lesson_id:str}", operation_id="getLesson")
    async def lesson(
        self,
        lesson_id: FromPath[str],
        db_session: DbSession,
        state: State,
        request: Request,
        lang: FromQuery[str | None] = None,
    ) -> LessonDetail:
        language = await service.learner_language(db_session, request.user.id, lang)
        return await service.lesson_detail(
            db_session, state.store, lesson_id, lang=language, user_id=request.user.id, ttl=_ttl(state)
        )

    @get("/items/{item_id:str}", operation_id="getItem")
    async def item(
        self,
        item_id: FromPath[str],
        db_session: DbSession,
        state: State,
        request: Request,
        lang: FromQuery[str | None] = None,
    ) -> ItemOut:
        language = await service.learner_language(db_session, request.user.id, lang)
        return await service.item_detail(
            db_session, state.store, item_id, lang=language, user_id=request.user.id, ttl=_ttl(state)
        )
