"""HTTP for the placement test: start (or skip), next item, answer, result."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from learning_api.accounts import service as accounts
from learning_api.accounts.auth import any_user
from learning_api.clock import Now
from learning_api.db.session import DbSession
from learning_api.errors import Conflict, InvalidInput, NotFound
from learning_api.placement import service
from learning_api.placement.schemas import PlacementAnswerIn, PlacementAnswerOut, PlacementOut


async def _language(db_session: DbSession, request: Request) -> str:
    return (await accounts.get_profile(db_session, request.user.id)).instruction_language


class PlacementController(Controller):
    path = "/placement"
    tags = ["placement"]
    guards = [any_user]

    @post("/", operation_id="startPlacement", raises=[Conflict], status_code=HTTP_201_CREATED)
    async def start(self, request: Request, state: State, db_session: DbSession, now: Now) -> PlacementOut:
        """Start the placement test

        An adaptive test over the published items; the answer carries the first item.
        """
        # refuses when there is nothing to ask
        bank = await service.load_bank(db_session, state.store, await state.params.current(db_session))
        test = await service.start(db_session, request.user.id, now, bank.config)
        lang = await _language(db_session, request)
        return service.placement_out(
            test, await service.next_exercise(db_session, state.store, bank, test, lang, now)
        )

    @post("/skip", operation_id="skipPlacement", status_code=HTTP_201_CREATED)
    async def skip(self, request: Request, db_session: DbSession, now: Now) -> PlacementOut:
        """Skip the placement test

        Start at A1 without a test.
        """
        return service.placement_out(await service.skip(db_session, request.user.id, now))

    @get("/{placement_id:uuid}", operation_id="getPlacement", raises=[NotFound])
    async def get_one(
        self, request: Request, db_session: DbSession, now: Now, placement_id: FromPath[uuid.UUID]
    ) -> PlacementOut:
        """Read a placement test

        Its state, and the result once it has finished.
        """
        return service.placement_out(await service.get_test(db_session, request.user.id, placement_id))

    @get("/{placement_id:uuid}/next", operation_id="nextPlacementItem", raises=[NotFound, Conflict])
    async def next(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        placement_id: FromPath[uuid.UUID],
    ) -> PlacementOut:
        """Get the pending placement item

        The item to answer next (the same one until it is answered), or the result when finished.
        """
        test = await service.get_test(db_session, request.user.id, placement_id)
        lang = await _language(db_session, request)
        bank = await service.load_bank(db_session, state.store, await state.params.current(db_session))
        item = await service.next_exercise(db_session, state.store, bank, test, lang, now)
        return service.placement_out(test, item)

    @post(
        "/{placement_id:uuid}/answer",
        operation_id="answerPlacementItem",
        raises=[NotFound, Conflict, InvalidInput],
        status_code=HTTP_200_OK,
    )
    async def answer(
        self,
        request: Request,
        state: State,
        db_session: DbSession,
        now: Now,
        placement_id: FromPath[uuid.UUID],
        data: JSONBody[PlacementAnswerIn],
    ) -> PlacementAnswerOut:
        """Answer a placement item

        Grades the answer and gives the next item, or the result when the test ends.
        """
        test = await service.get_test(db_session, request.user.id, placement_id, for_update=True)
        profile = await accounts.get_profile(db_session, request.user.id)
        lang, zone = profile.instruction_language, ZoneInfo(profile.time_zone)
        bank = await service.load_bank(db_session, state.store, await state.params.current(db_session))
        graded = await service.answer(
            db_session, bank, test, data.item_id, data.response, data.latency_ms, lang, now, zone
        )
        item = await service.next_exercise(db_session, state.store, bank, test, lang, now)
        return PlacementAnswerOut(
            verdict=graded.verdict,
            correct=graded.correct,
            feedback=graded.feedback,
            expected=graded.expected,
            placement=service.placement_out(test, item),
        )
