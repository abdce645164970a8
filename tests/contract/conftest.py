"""The OpenAPI document as clients see it, built from the app without a database (it is static)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from litestar import Litestar
from litestar.testing import TestClient

from learning_api.app import create_app
from learning_api.settings import Settings
from tests.conftest import fresh_database
from tests.contract.world import ContractWorld, accounts, make_root_and_lesson, run


@pytest.fixture(scope="session")
def document_app(tmp_path_factory: pytest.TempPathFactory) -> Litestar:
    folder = tmp_path_factory.mktemp("document")
    return create_app(
        Settings(
            database_url=f"sqlite+aiosqlite:///{folder / 'unused.db'}",
            object_store_url=f"file://{folder / 'objects'}",
            token_secret="document-only",
        )
    )


@pytest.fixture(scope="session")
def document(document_app: Litestar) -> dict[str, Any]:
    return document_app.openapi_schema.to_schema()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.fixture(scope="session")
def contract_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContractWorld]:
    url = fresh_database("sqlite", "contract", tmp_path_factory)
    settings = Settings(
        database_url=url,
        object_store_url=f"file://{tmp_path_factory.mktemp('contract-objects')}",
        token_secret="contract-" + uuid.uuid4().hex,
        # the fuzzer logs in wrongly thousands of times; 429 is documented and tested elsewhere
        login_failures_per_account=10**6,
        login_failures_per_client=10**6,
    )
    root = f"contract-root-{uuid.uuid4().hex[:8]}@example.ee"
    run(make_root_and_lesson(settings, root, tmp_path_factory.mktemp("contract-lesson")))
    with TestClient(create_app(settings)) as helper:
        yield ContractWorld(app=create_app(settings), tokens=accounts(helper, root), helper=helper)


@pytest.fixture(scope="session")
def contract_schema(contract_world: ContractWorld) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", contract_world.app)
