"""A small world for the contract run: a migrated SQLite database with a published lesson, one account per
role, and the app schemathesis calls in process."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.accounts.schemas import Role
from learning_api.settings import Settings
from learning_api.storage import open_store
from tests.conftest import published_exam_lesson, published_lesson

PASSWORD = "contract-parool-123"


def token_of(login: Any) -> str:
    assert login.status_code == 200, login.text
    return str(login.json()["token"])


@dataclass
class ContractWorld:
    app: Litestar  # the instance schemathesis calls (its own lifespan)
    tokens: dict[str, str | None]  # role -> bearer token; "anonymous" -> None
    helper: TestClient  # a second instance on the same database, for accounts made during the run

    def throwaway_token(self) -> str:
        """A new learner account's token, for a call that logs out or deletes the caller."""
        email = f"throwaway-{uuid.uuid4().hex[:10]}@example.ee"
        made = self.helper.post("/auth/register", json={"email": email, "password": PASSWORD})
        assert made.status_code == 201, made.text
        return token_of(self.helper.post("/auth/login", json={"email": email, "password": PASSWORD}))


async def make_root_and_lesson(settings: Settings, email: str, folder: Path) -> None:
    from learning_api.accounts.service import register

    engine = create_async_engine(settings.database_url, poolclass=NullPool)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session, session.begin():
        await register(session, email=email, password=PASSWORD, role="admin")
    open_store(settings.object_store_url).ensure_bucket()
    await published_lesson(sessions, settings, folder)
    await published_exam_lesson(sessions, settings, folder)  # reading and dialogue items in the responses
    await engine.dispose()


def accounts(client: TestClient, root_email: str) -> dict[str, str | None]:
    admin = token_of(client.post("/auth/login", json={"email": root_email, "password": PASSWORD}))
    tokens: dict[str, str | None] = {"admin": admin}
    for role in get_args(Role):
        if role == "admin":
            continue
        email = f"contract-{role}-{uuid.uuid4().hex[:8]}@example.ee"
        made = client.post("/auth/register", json={"email": email, "password": PASSWORD})
        assert made.status_code == 201, made.text
        if role != "learner":
            granted = client.put(
                f"/users/{made.json()['id']}/role",
                json={"role": role},
                headers={"Authorization": f"Bearer {admin}"},
            )
            assert granted.status_code == 200, granted.text
        tokens[role] = token_of(client.post("/auth/login", json={"email": email, "password": PASSWORD}))
    tokens["anonymous"] = None
    return tokens


def run(coroutine: Any) -> None:
    """Set-up runs on its own event loop, off the test's."""
    from tests.conftest import _in_thread

    _in_thread(asyncio.run, coroutine)
