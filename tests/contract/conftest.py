"""The OpenAPI document as clients see it, built from the app without a database (it is static)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar

from learning_api.app import create_app
from learning_api.settings import Settings


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
