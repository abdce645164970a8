"""Stores to upload into: the local folder and the real S3 server, each test in a fresh place."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning_api.storage import ObjectStore, open_store


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        opened = open_store(f"file://{tmp_path / 'objects'}")
    else:
        opened = open_store(request.getfixturevalue("s3_server").new_bucket_url())
    opened.ensure_bucket()
    return opened
