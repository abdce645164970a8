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
from learning_api.pagination import Paging


class SharingController(Controller):
    path = "/me/counsellors"
    tags = ["counselling"]
    guards = [any_user]

    @get("/", operation_id="mySharing")
    async def mine(self, request: Request, db_session: DbSession) -> MySharing:
        """Whom I share my plan and progress with, and every time one of them looked."""
        return await service.my_sharing(db_session, request.user.id)

    @post("/", operation_id="shareWithCounsellor", status_code=HTTP_201_CREATED)
    async def share(
        self, request: Request, data: JSONBody[ShareIn], db_session: DbSession, now: Now
    ) -> ShareOut:
        return await service.share(db_session, request.user.id, data.counsellor_email, now)

    @delete("/{counsellor_id:uuid}", operation_id="stopSharingWithCounsellor")
    async def revoke(
        self, request: Request, counsellor_id: FromPath[uuid.UUID], db_session: DbSession
    ) -> None:
        await service.revoke(db_session, request.user.id, counsellor_id)


class CounsellorController(Controller):
    path = "/counsellor/learners"
    tags = ["counselling"]
    guards = [requires_role("counsellor")]

    @get("/", operation_id="sharedLearners")
    async def learners(
        self, request: Request, db_session: DbSession, now: Now, page: Paging
    ) -> SharedLearnerPage:
        """The learners who share with me (and only they); each look is logged for the learner."""
        return await service.shared_learners(db_session, request.user, now, page)

    @get("/{learner_id:uuid}", operation_id="sharedLearnerProgress")
    async def progress(
        self, request: Request, learner_id: FromPath[uuid.UUID], db_session: DbSession, now: Now
    ) -> LearnerProgressForCounsellor:
        """A learner's levels, readiness, plan and recent activity, with their consent."""
        return await service.learner_progress(db_session, request.user, learner_id, now)
