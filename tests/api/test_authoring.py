"""/authoring/lessons through the HTTP client: authors only; validate returns every problem with its
line; upload, re-upload (no-op), publish and unpublish move what the catalog serves."""

from __future__ import annotations

import base64

from litestar.testing import AsyncTestClient

from tests.conftest import sign_up
from tests.unit.authoring.lesson_fixture import AUDIO, GOOD_LESSON, LESSON_ID, unique_lesson_id


def _body(lesson_id: str, text: str = GOOD_LESSON, **extra: object) -> dict[str, object]:
    return {
        "source": text.replace(LESSON_ID, lesson_id),
        # bytes of its own: the app's store is shared and stores equal media once
        "media": {f"media/{lesson_id}-07.ogg": base64.b64encode(AUDIO + lesson_id.encode()).decode()},
        **extra,
    }


async def test_learners_may_not_author(client: AsyncTestClient) -> None:
    auth = {"Authorization": (await sign_up(client))["auth"]}
    assert (await client.get("/authoring/lessons", headers=auth)).status_code == 403
    response = await client.post("/authoring/lessons/validate", json=_body(unique_lesson_id()), headers=auth)
    assert response.status_code == 403


async def test_validate_reports_every_problem_with_its_line(client: AsyncTestClient) -> None:
    auth = {"Authorization": (await sign_up(client, role="author"))["auth"]}
    broken = GOOD_LESSON.replace("level: A1", "level: A7").replace("form: sg g", "form: sg xx")
    lesson_id = unique_lesson_id()
    body = _body(lesson_id, broken)
    body["media"] = {}
    response = await client.post("/authoring/lessons/validate", json=body, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "ok": False,
        "problems": [
            {"line": 3, "message": "'level' must be one of A1, A2, B1, B2, C1, not 'A7'"},
            {"line": 45, "message": "Vabamorf has no form 'sg xx' of 'õde'"},
            {"line": 57, "message": f"media file 'media/{lesson_id}-07.ogg' is missing"},
        ],
    }


async def test_upload_publish_unpublish(client: AsyncTestClient) -> None:
    author = {"Authorization": (await sign_up(client, role="author"))["auth"]}
    learner = {"Authorization": (await sign_up(client))["auth"]}
    lesson_id = unique_lesson_id()

    first = await client.post("/authoring/lessons", json=_body(lesson_id), headers=author)
    assert first.status_code == 201, first.text
    assert first.json() == {
        "lesson_id": lesson_id, "version": 1, "changed": True, "published": False, "media_uploaded": 1,
    }  # fmt: skip
    assert (await client.get(f"/catalog/lessons/{lesson_id}", headers=learner)).status_code == 404
    again = await client.post("/authoring/lessons", json=_body(lesson_id, publish=True), headers=author)
    assert (again.json()["version"], again.json()["changed"], again.json()["published"]) == (1, False, True)
    assert (await client.get(f"/catalog/lessons/{lesson_id}", headers=learner)).json()["version"] == 1

    refused = await client.post(
        "/authoring/lessons", json=_body(lesson_id, GOOD_LESSON.replace("A1", "A7")), headers=author
    )
    assert refused.status_code == 422 and refused.json()["problems"][0]["line"] == 3

    listed = (await client.get("/authoring/lessons", headers=author, params={"limit": 200})).json()["items"]
    assert {"id": lesson_id, "published_version": 1, "latest_version": 1}.items() <= next(
        lesson for lesson in listed if lesson["id"] == lesson_id
    ).items()
    hidden = await client.post(f"/authoring/lessons/{lesson_id}/unpublish", headers=author)
    assert hidden.status_code == 200 and hidden.json()["published_version"] is None
    assert (await client.get(f"/catalog/lessons/{lesson_id}", headers=learner)).status_code == 404
    shown = await client.post(f"/authoring/lessons/{lesson_id}/publish", json={"version": 1}, headers=author)
    assert shown.status_code == 200 and shown.json()["published_version"] == 1
    missing = await client.post(
        f"/authoring/lessons/{lesson_id}/publish", json={"version": 9}, headers=author
    )
    assert missing.status_code == 404
