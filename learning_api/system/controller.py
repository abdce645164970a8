"""Liveness and readiness probes for load balancers and docker-compose healthchecks."""

from __future__ import annotations

from typing import Literal

import anyio
import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec
from sqlalchemy import text

from learning_api.accounts.auth import PUBLIC


class Health(msgspec.Struct):
    status: Literal["ok"]


class ServiceReadiness(msgspec.Struct):
    status: Literal["ok", "unavailable"]
    database: str  # "ok" or "down: <error type>"
    object_store: str


async def _database_ok(state: State) -> str:
    try:
        async with state.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready", and which one goes into the answer
        return f"down: {type(exc).__name__}"
    return "ok"


async def _store_ok(state: State) -> str:
    try:
        await anyio.to_thread.run_sync(state.store.ping)
    except Exception as exc:
        return f"down: {type(exc).__name__}"
    return "ok"


class SystemController(Controller):
    tags = ["system"]

    @get("/health", operation_id="health", opt=PUBLIC)
    async def health(self) -> Health:
        """Liveness

        The process answers; nothing else is checked.
        """
        return Health(status="ok")

    @get(
        "/ready",
        operation_id="ready",
        opt=PUBLIC,
        responses={
            503: ResponseSpec(
                ServiceReadiness, description="The database or the object store is down (named in the body)."
            )
        },
    )
    async def ready(self, state: State) -> Response[ServiceReadiness]:
        """Readiness

        Whether the database and the object store answer: 200 when both do, else 503 naming the one down.
        """
        database, store = await _database_ok(state), await _store_ok(state)
        ok = database == "ok" and store == "ok"
        body = ServiceReadiness(status="ok" if ok else "unavailable", database=database, object_store=store)
        return Response(body, status_code=200 if ok else 503)
