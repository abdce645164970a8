"""Liveness and readiness probes for load balancers and docker-compose healthchecks."""

from __future__ import annotations

import anyio
import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from sqlalchemy import text

from learning_api.accounts.auth import PUBLIC


class Health(msgspec.Struct):
    status: str


class Readiness(msgspec.Struct):
    status: str
    database: str
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
        return Health(status="ok")

    @get("/ready", operation_id="ready", opt=PUBLIC)
    async def ready(self, state: State) -> Response[Readiness]:
        database, store = await _database_ok(state), await _store_ok(state)
        ok = database == "ok" and store == "ok"
        body = Readiness(status="ok" if ok else "unavailable", database=database, object_store=store)
        return Response(body, status_code=200 if ok else 503)
