"""A `keelerada content upload` killed between its steps leaves the previous version served, as the
catalog route shows it, and nothing of the new one visible; the next run completes the upload."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.authoring.batch import upload_paths
from learning_api.authoring.publishing import CRASH_ENV
from learning_api.catalog.documents import lesson_object_key
from learning_api.db.tables import LessonVersion
from learning_api.settings import Settings
from learning_api.storage import open_store
from tests.conftest import sign_up
from tests.unit.authoring.lesson_fixture import GOOD_LESSON, unique_lesson_id, write_course

ROOT = Path(__file__).resolve().parents[3]
KILLED = 137


def _upload(path: Path, settings: Settings, crash_after: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KEELERADA_DATABASE_URL": settings.database_url,
        "KEELERADA_OBJECT_STORE_URL": settings.object_store_url,
        CRASH_ENV: crash_after,
    }
    return subprocess.run(
        [sys.executable, "-m", "scripts.cli", "content", "upload", "--publish", "--quiet", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


async def _served(client: AsyncTestClient, auth: str, lesson_id: str) -> tuple[int, str]:
    response = await client.get(
        f"/catalog/lessons/{lesson_id}", params={"lang": "en"}, headers={"Authorization": auth}
    )
    assert response.status_code == 200, response.text
    return response.json()["version"], response.json()["instructions"]


async def _versions(db: async_sessionmaker[AsyncSession], lesson_id: str) -> list[int]:
    async with db() as session:
        return list(
            await session.scalars(select(LessonVersion.version).where(LessonVersion.lesson_id == lesson_id))
        )


@pytest.mark.parametrize("crash_after", ["media", "version"])
async def test_killed_upload_keeps_the_old_version_served(
    client: AsyncTestClient,
    settings: Settings,
    db: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    crash_after: str,
) -> None:
    store = open_store(settings.object_store_url)
    lesson_id = unique_lesson_id()
    path = write_course(tmp_path, lesson_id=lesson_id)
    await upload_paths(db, store, [path], publish=True)
    learner = await sign_up(client)
    assert await _served(client, learner["auth"], lesson_id) == (1, "Learn to greet.")

    new_audio = b"OggS new recording " + crash_after.encode()
    changed = GOOD_LESSON.replace("Learn to greet.", "Learn to say hello.")
    write_course(tmp_path, changed, lesson_id=lesson_id, audio=new_audio)
    killed = _upload(path, settings, crash_after)
    assert killed.returncode == KILLED, killed.stderr

    assert await _served(client, learner["auth"], lesson_id) == (1, "Learn to greet.")
    assert await _versions(db, lesson_id) == [1]
    assert store.exists(lesson_object_key(lesson_id, 2)) == (crash_after == "version")  # written, not served

    report, (finished,) = await upload_paths(db, store, [path], publish=True)  # the next run, in-process
    assert report.ok and finished.version == 2
    assert await _served(client, learner["auth"], lesson_id) == (2, "Learn to say hello.")
    assert await _versions(db, lesson_id) == [1, 2]
    media = [o.key for o in store.list("media/") if store.get(o.key) == new_audio]
    assert len(media) == 1  # the crashed run's media file was reused, not stored twice
