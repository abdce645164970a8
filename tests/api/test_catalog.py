"""The catalog through the HTTP client: published versions only, exercises without their answers,
media as stable links that redirect to presigned URLs, and the item bank."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.authoring.batch import upload_paths
from learning_api.settings import Settings
from learning_api.storage import open_store
from tests.conftest import sign_up
from tests.unit.authoring.lesson_fixture import AUDIO, COURSE, unique_lesson_id, write_course

Sessions = async_sessionmaker[AsyncSession]


async def _upload(db: Sessions, settings: Settings, tmp_path: Path, *, publish: bool) -> str:
    lesson_id = unique_lesson_id()
    path = write_course(tmp_path / lesson_id, lesson_id=lesson_id)
    report, _ = await upload_paths(db, open_store(settings.object_store_url), [path], publish=publish)
    assert report.ok, report.problems
    return lesson_id


def _values(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in _values(value)]
    if isinstance(node, list):
        return [v for value in node for v in _values(value)]
    return [node]


async def test_published_lessons_only(
    client: AsyncTestClient, db: Sessions, settings: Settings, tmp_path: Path
) -> None:
    published = await _upload(db, settings, tmp_path, publish=True)
    draft = await _upload(db, settings, tmp_path, publish=False)
    auth = {"Authorization": (await sign_up(client))["auth"]}

    courses = (await client.get("/catalog/courses", headers=auth)).json()["items"]
    assert any(course["id"] == COURSE and course["lessons"] >= 1 for course in courses)
    lessons = (await client.get(f"/catalog/courses/{COURSE}/lessons", headers=auth)).json()["items"]
    ids = {lesson["id"] for lesson in lessons}
    assert published in ids and draft not in ids
    assert (await client.get(f"/catalog/lessons/{draft}", headers=auth)).status_code == 404
    assert (await client.get(f"/catalog/items/{draft}-01", headers=auth)).status_code == 404
    assert (await client.get("/catalog/courses/no-such-course/lessons", headers=auth)).status_code == 404


async def test_lesson_in_the_learners_language_without_answers(
    client: AsyncTestClient, db: Sessions, settings: Settings, tmp_path: Path
) -> None:
    lesson_id = await _upload(db, settings, tmp_path, publish=True)
    learner = await sign_up(client, instruction_language="ru")
    auth = {"Authorization": learner["auth"]}
    response = await client.get(f"/catalog/lessons/{lesson_id}", headers=auth)
    assert response.status_code == 200, response.text
    lesson = response.json()
    assert (lesson["language"], lesson["title"], lesson["version"]) == ("ru", "Привет", 1)
    exercises = {exercise["id"].rsplit("-", 1)[1]: exercise for exercise in lesson["exercises"]}
    assert len(exercises) == 7
    assert all("answers" not in exercise and "answer" not in exercise for exercise in exercises.values())
    assert "õe" not in _values(exercises["04"])  # the synthesised inflect answer
    assert "Tere, Mari!" not in _values(exercises["07"])  # what the listener must write
    assert exercises["05"]["prompt"] == "Моя сестра живёт в Тарту."
    assert sorted(exercises["06"]["words"]) == sorted(["Minu", "õde", "elab", "Tartus."])
    assert exercises["06"]["words"] != ["Minu", "õde", "elab", "Tartus."]

    # a stable link (the document is cached) that redirects to a presigned URL: no token needed
    audio = await client.get(exercises["07"]["audio_url"], follow_redirects=True)
    assert audio.status_code == 200 and audio.content == AUDIO

    english = (await client.get(f"/catalog/lessons/{lesson_id}", params={"lang": "en"}, headers=auth)).json()
    assert english["title"] == "Hello" and english["vocabulary"][0]["meaning"] == "hello"
    assert (
        await client.get(f"/catalog/lessons/{lesson_id}", params={"lang": "de"}, headers=auth)
    ).status_code == 422


async def test_item(client: AsyncTestClient, db: Sessions, settings: Settings, tmp_path: Path) -> None:
    lesson_id = await _upload(db, settings, tmp_path, publish=True)
    auth = {"Authorization": (await sign_up(client))["auth"]}
    item = (await client.get(f"/catalog/items/{lesson_id}-04", headers=auth)).json()
    assert (item["type"], item["skill"], item["lemmas"], item["lesson_version"]) == (
        "inflect",
        "grammar",
        ["õde"],
        1,
    )
    assert item["exercise"]["lemma"] == "õde" and "answers" not in item["exercise"]
    assert (await client.get("/catalog/items/no-such-item", headers=auth)).status_code == 404
