"""HTTP for counselling: learners share and revoke (under /me), counsellors read what was shared."""

from __future__ import annotations

import uuid

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from learning_api.accounts.auth import any_user, requires_role
from learning_api.clock import Now
from learning_api.counselling import service
from learning_api.counselling.schemas import (
    LearnerProgressForCounsellor,
    MySharing,
    SharedLearnerPage,
    ShareIn,
    ShareOut,
)
from learning_api.db.session import DbSession
from learning_api.errors import InvalidInput, NotFound
from learning_api.modelling.params import Cuts
from learning_api.pagination import Paging


class SharingController(Controller):
    path = "/me/counsellors"
    tags = ["counselling"]
    guards = [any_user]

    @get("/", operation_id="mySharing")
    async def mine(self, request: Request, db_session: DbSession) -> MySharing:
        """List whom I share with

        Whom I share my plan and progress with, and every time one of them looked.
        """
        return await service.my_sharing(db_session, request.user.id)

    @post(
        "/", operation_id="shareWithCounsellor", raises=[NotFound, InvalidInput], status_code=HTTP_201_CREATED
    )
    async def share(
        self, request: Request, data: JSONBody[ShareIn], db_session: DbSession, now: Now
    ) -> ShareOut:
        """Share my progress with a counsellor

        The counsellor (by e-mail) may then read my levels, readiness, plan and recent activity.
        """
        return await service.share(db_session, request.user.id, data.counsellor_email, now)

    @delete("/{counsellor_id:uuid}", operation_id="stopSharingWithCounsellor", raises=[NotFound])
    async def revoke(
        self, request: Request, counsellor_id: FromPath[uuid.UUID], db_session: DbSession
    ) -> None:
        """Stop sharing with a counsellor

        The counsellor no longer sees anything of mine.
        """
        await service.revoke(db_session, request.user.id, counsellor_id)


class CounsellorController(Controller):
    path = "/counsellor/learners"
    tags = ["counselling"]
    guards = [requires_role("counsellor")]

    @get("/", operation_id="sharedLearners")
    async def learners(
        self, request: Request, db_session: DbSession, now: Now, page: Paging
    ) -> SharedLearnerPage:
        """List the learners who share with me (counsellor)

        Only they, paged; each look is logged for the learner.
        """
        return await service.shared_learners(db_session, request.user, now, page)

    @get("/{learner_id:uuid}", operation_id="sharedLearnerProgress", raises=[NotFound])
    async def progress(
        self, request: Request, learner_id: FromPath[uuid.UUID], db_session: DbSession, now: Now, cuts: Cuts
    ) -> LearnerProgressForCounsellor:
        """Read a learner's progress (counsellor)

        Levels, readiness, plan and recent activity, with their consent; the look is logged.
        """
        return await service.learner_progress(db_session, request.user, learner_id, now, cuts)
