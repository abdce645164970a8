"""HTTP for item feedback: learners post it on an item, authors read it per lesson."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from learning_api.accounts.auth import any_user, requires_role
from learning_api.clock import Now
from learning_api.db.session import DbSession
from learning_api.errors import InvalidInput, NotFound
from learning_api.feedback import service
from learning_api.feedback.schemas import FeedbackIn, FeedbackOut, LessonFeedbackOut
from learning_api.pagination import Paging


class FeedbackController(Controller):
    tags = ["feedback"]

    @post(
        "/items/{item_id:str}/feedback",
        operation_id="giveItemFeedback",
        raises=[InvalidInput, NotFound],
        guards=[any_user],
        status_code=HTTP_201_CREATED,
    )
    async def give(
        self,
        request: Request,
        item_id: FromPath[str],
        data: JSONBody[FeedbackIn],
        db_session: DbSession,
        now: Now,
    ) -> FeedbackOut:
        """Rate or report an exercise

        A rating from 1 to 5, or a report of an error in the exercise, from the learner.
        """
        return await service.give_feedback(db_session, request.user.id, item_id, data, now)

    @get(
        "/authoring/lessons/{lesson_id:str}/feedback",
        operation_id="lessonFeedback",
        raises=[NotFound],
        guards=[requires_role("author")],
    )
    async def for_lesson(
        self, lesson_id: FromPath[str], db_session: DbSession, page: Paging
    ) -> LessonFeedbackOut:
        """Read feedback on a lesson (author)

        Learners' ratings and error reports on the lesson's exercises, paged (the totals count all).
        """
        return await service.lesson_feedback(db_session, lesson_id, page)
