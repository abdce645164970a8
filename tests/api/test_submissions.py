"""Writing and speaking end to end through the API: a text is checked at once and scored by the
learner's teacher; a recording goes to object storage by a presigned PUT (the local store here, the real
S3 server below), is checked on the server before it counts, and is played back by the teacher; the
score feeds the skill's ability; the learner's export holds it all and deleting the account removes it,
recordings included."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.app import create_app
from learning_api.authoring.batch import upload_paths
from learning_api.db.tables import Submission
from learning_api.settings import Settings
from learning_api.storage import ObjectStore, open_store
from learning_api.submissions.service import score_points
from tests.conftest import fresh_database, sign_up
from tests.unit.authoring.lesson_fixture import GOOD_LESSON, unique_lesson_id, write_course
from tests.unit.authoring.test_production import PRODUCTION

OGG = b"OggS" + bytes(range(256)) * 8
WRITING_SCORES = {"task": 4, "vocabulary": 3, "grammar": 3, "coherence": 4}  # 14 of 20 -> 17.5 of 25


async def production_lesson(db: async_sessionmaker[AsyncSession], store: ObjectStore, tmp_path: Path) -> str:
    """A published lesson with a writing (…-08) and a speaking (…-09) task; returns the lesson id."""
    lesson_id = unique_lesson_id()
    path = write_course(tmp_path / lesson_id, GOOD_LESSON + PRODUCTION, lesson_id=lesson_id)
    store.ensure_bucket()
    report, _ = await upload_paths(db, store, [path], publish=True)
    assert report.ok, report.problems
    return lesson_id


async def _class_of(client: AsyncTestClient, teacher: dict, learner: dict) -> None:  # type: ignore[type-arg]
    made = (
        await client.post("/classes", json={"name": "Kirjutajad"}, headers={"Authorization": teacher["auth"]})
    ).json()
    joined = await client.post(
        "/classes/join", json={"code": made["join_code"]}, headers={"Authorization": learner["auth"]}
    )
    assert joined.status_code in (200, 201), joined.text


@pytest.fixture
async def people(client: AsyncTestClient) -> dict:  # type: ignore[type-arg]
    learner, teacher = await sign_up(client), await sign_up(client, role="teacher")
    other_teacher = await sign_up(client, role="teacher")
    await _class_of(client, teacher, learner)
    return {
        "learner": {"Authorization": learner["auth"], "Accept-Language": "ru"},
        "teacher": {"Authorization": teacher["auth"]},
        "other_teacher": {"Authorization": other_teacher["auth"]},
        "learner_id": learner["id"],
    }


async def test_a_text_is_checked_at_once_then_scored_by_the_teacher(
    client: AsyncTestClient,
    db,
    settings: Settings,
    tmp_path: Path,
    people: dict,  # type: ignore[no-untyped-def, type-arg]
) -> None:
    lesson = await production_lesson(db, open_store(settings.object_store_url), tmp_path)
    text = "Tere, õde! Ma elan nüüd Tartus. Minu kodu on suur ja ilus. Tule kookit sööma, qwzx!"
    r = await client.post(
        "/submissions/writing", json={"item_id": f"{lesson}-08", "text": text}, headers=people["learner"]
    )
    assert r.status_code == 201, r.text
    mine = r.json()
    assert mine["status"] == "pending" and mine["kind"] == "writing"
    check = mine["check"]
    assert (check["words"], check["length"]) == (16, "ok")
    assert check["unknown_words"] == ["qwzx"]
    assert [f["word"] for f in check["form_errors"]] == ["kookit"]
    assert check["feedback"][0].startswith("В вашем тексте 16 слов")  # Accept-Language, else the profile
    assert mine["model_answer"].startswith("Tere, õde!") and "points" not in mine

    queue = (await client.get("/scoring/submissions", headers=people["teacher"])).json()
    assert mine["id"] in [entry["submission"]["id"] for entry in queue["items"]]
    others = (await client.get("/scoring/submissions", headers=people["other_teacher"])).json()
    assert mine["id"] not in [entry["submission"]["id"] for entry in others["items"]]
    assert (
        await client.get(f"/scoring/submissions/{mine['id']}", headers=people["other_teacher"])
    ).status_code == 404

    missing = await client.post(
        f"/scoring/submissions/{mine['id']}/score", json={"scores": {"task": 4}}, headers=people["teacher"]
    )
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "scores", missing.text
    too_high = await client.post(
        f"/scoring/submissions/{mine['id']}/score", json={"scores": {**WRITING_SCORES, "task": 6}},
        headers=people["teacher"],
    )  # fmt: skip
    assert too_high.status_code == 400 and "scores" in too_high.text
    before = await _writing_answers(client, people["learner"])
    scored = await client.post(
        f"/scoring/submissions/{mine['id']}/score", json={"scores": WRITING_SCORES, "comment": "Hea kiri!"},
        headers=people["teacher"],
    )  # fmt: skip
    assert scored.status_code == 200, scored.text
    assert scored.json()["submission"]["points"] == 17.5
    seen = (await client.get(f"/submissions/{mine['id']}", headers=people["learner"])).json()
    assert (seen["status"], seen["points"], seen["comment"], seen["scores"]) == (
        "scored", 17.5, "Hea kiri!", WRITING_SCORES,
    )  # fmt: skip
    assert await _writing_answers(client, people["learner"]) == before + 1  # the score is ability evidence
    async with db() as session:
        row = await session.scalar(select(Submission).where(Submission.id == uuid.UUID(mine["id"])))
        assert score_points(row) == 17.5

    # a second scoring corrects the record but is no second piece of evidence
    again = await client.post(
        f"/scoring/submissions/{mine['id']}/score", json={"scores": {**WRITING_SCORES, "task": 5}},
        headers=people["teacher"],
    )  # fmt: skip
    assert again.json()["submission"]["points"] == 18.8
    assert await _writing_answers(client, people["learner"]) == before + 1


async def _writing_answers(client: AsyncTestClient, headers: dict) -> int:  # type: ignore[type-arg]
    levels = (await client.get("/progress", headers=headers)).json()["levels"]
    return next((level["answers"] for level in levels if level["skill"] == "writing"), 0)


async def test_bad_submissions_name_the_field(
    client: AsyncTestClient,
    db,
    settings: Settings,
    tmp_path: Path,
    people: dict,  # type: ignore[no-untyped-def, type-arg]
) -> None:
    lesson = await production_lesson(db, open_store(settings.object_store_url), tmp_path)
    cases = [
        ("/submissions/writing", {"item_id": "no-such-item", "text": "Tere"}, 404, "item_id"),
        ("/submissions/writing", {"item_id": f"{lesson}-09", "text": "Tere"}, 422, "item_id"),
        ("/submissions/writing", {"item_id": f"{lesson}-08", "text": ""}, 400, "text"),
        ("/submissions/writing", {"item_id": f"{lesson}-08", "text": "x" * 10_001}, 400, "text"),
        (
            "/submissions/speaking",
            {"item_id": f"{lesson}-09", "content_type": "video/mp4"},
            422,
            "content_type",
        ),
        ("/submissions/speaking", {"item_id": f"{lesson}-08", "content_type": "audio/ogg"}, 422, "item_id"),
    ]
    for path, body, status, field in cases:
        r = await client.post(path, json=body, headers=people["learner"])
        assert r.status_code == status, (body, r.text)
        assert field in {e["field"] for e in r.json().get("errors", [])} or field in r.json()["detail"], (
            r.text
        )
    answer = {
        "id": str(uuid.uuid4()),
        "item_id": f"{lesson}-08",
        "response": "Tere",
        "answered_at": "2026-12-01T10:00:00Z",
    }
    result = (await client.post("/study/answers", json=answer, headers=people["learner"])).json()
    assert result["results"][0]["status"] == "rejected" and result["results"][0]["field"] == "item_id"


async def _record(
    client: AsyncTestClient,
    upload: httpx.AsyncClient | AsyncTestClient,
    headers: dict,
    item_id: str,
    data: bytes,  # type: ignore[type-arg]
) -> tuple[dict, httpx.Response]:  # type: ignore[type-arg]
    started = await client.post(
        "/submissions/speaking",
        json={"item_id": item_id, "content_type": "audio/ogg; codecs=opus"},
        headers=headers,
    )
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["method"] == "PUT" and body["submission"]["status"] == "uploading"
    put = await upload.put(body["upload_url"], content=data, headers={"Content-Type": body["content_type"]})
    assert put.status_code == 200, put.text
    confirmed = await client.post(f"/submissions/{body['submission']['id']}/confirm", headers=headers)
    return body, confirmed


async def _speaking_round(
    client: AsyncTestClient,
    upload: httpx.AsyncClient | AsyncTestClient,
    store: ObjectStore,
    people: dict,
    lesson: str,  # type: ignore[type-arg]
) -> None:
    item = f"{lesson}-09"
    body, confirmed = await _record(client, upload, people["learner"], item, b"ID3 not an ogg at all")
    assert confirmed.status_code == 422 and confirmed.json()["errors"][0]["field"] == "audio", confirmed.text
    assert not store.exists(
        f"submissions/{people['learner_id']}/{body['submission']['id']}.ogg"
    )  # refused: gone

    early = await client.post(
        "/submissions/speaking",
        json={"item_id": item, "content_type": "audio/ogg"},
        headers=people["learner"],
    )
    not_yet = await client.post(
        f"/submissions/{early.json()['submission']['id']}/confirm", headers=people["learner"]
    )
    assert not_yet.status_code == 422 and "PUT" in not_yet.json()["detail"]

    body, confirmed = await _record(client, upload, people["learner"], item, OGG)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "pending"
    twice = await client.post(f"/submissions/{body['submission']['id']}/confirm", headers=people["learner"])
    assert twice.status_code == 409
    to_score = (
        await client.get(f"/scoring/submissions/{body['submission']['id']}", headers=people["teacher"])
    ).json()
    assert to_score["criteria"] == ["task", "vocabulary", "grammar", "fluency", "pronunciation"]
    played = await upload.get(to_score["submission"]["audio_url"])
    assert played.status_code == 200 and played.content == OGG
    scores = {"task": 5, "vocabulary": 4, "grammar": 3, "fluency": 4, "pronunciation": 4}
    scored = await client.post(
        f"/scoring/submissions/{body['submission']['id']}/score",
        json={"scores": scores},
        headers=people["teacher"],
    )
    assert scored.status_code == 200 and scored.json()["submission"]["points"] == 20.0
    levels = (await client.get("/progress", headers=people["learner"])).json()["levels"]
    assert next(level for level in levels if level["skill"] == "speaking")["answers"] == 1


async def test_a_recording_goes_through_the_local_store(
    client: AsyncTestClient,
    db,
    settings: Settings,
    tmp_path: Path,
    people: dict,  # type: ignore[no-untyped-def, type-arg]
) -> None:
    store = open_store(settings.object_store_url)
    await _speaking_round(client, client, store, people, await production_lesson(db, store, tmp_path))


@pytest.mark.s3
async def test_a_recording_goes_through_the_real_s3_server(
    s3_server,
    database_url: str,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,  # type: ignore[no-untyped-def]
) -> None:
    """Its own database: the session's shared one must not list a lesson whose versions live in this
    bucket, or other tests' apps (on the local store) would meet exercises they cannot load."""
    url = s3_server.new_bucket_url()
    store = open_store(url)
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    own_url = fresh_database(kind, "submissions_s3", tmp_path_factory)
    engine = create_async_engine(own_url, poolclass=NullPool)
    db = async_sessionmaker(engine, expire_on_commit=False)
    lesson = await production_lesson(db, store, tmp_path)
    app = create_app(
        Settings(database_url=own_url, object_store_url=url, token_secret="s3-" + uuid.uuid4().hex)
    )
    async with AsyncTestClient(app=app) as client, httpx.AsyncClient() as network:
        from tests.conftest import ROOT_AUTH  # noqa: F401  (the session admin belongs to the other client)

        learner, teacher = await sign_up(client), await _teacher(client, db)
        await _class_of(client, teacher, learner)
        people = {
            "learner": {"Authorization": learner["auth"]},
            "teacher": {"Authorization": teacher["auth"]},
            "learner_id": learner["id"],
        }
        await _speaking_round(client, network, store, people, lesson)
    await engine.dispose()


async def _teacher(client: AsyncTestClient, db: async_sessionmaker[AsyncSession]) -> dict:  # type: ignore[type-arg]
    """A teacher made the way ops make roles (straight in the database), for an app without the session's
    root admin."""
    from learning_api.accounts.service import register

    email = f"teacher-{uuid.uuid4().hex[:8]}@example.ee"
    async with db() as session, session.begin():
        await register(session, email=email, password="hea-parool-123", role="teacher")
    login = (await client.post("/auth/login", json={"email": email, "password": "hea-parool-123"})).json()
    return {"auth": f"Bearer {login['token']}"}


async def test_self_assessment_is_marked_and_the_data_leaves_with_the_account(
    client: AsyncTestClient,
    db,
    settings: Settings,
    tmp_path: Path,
    people: dict,  # type: ignore[no-untyped-def, type-arg]
) -> None:
    store = open_store(settings.object_store_url)
    lesson = await production_lesson(db, store, tmp_path)
    text = "Tere, õde! Minu kodu on Tartus. Ma elan seal hästi."
    mine = (
        await client.post(
            "/submissions/writing", json={"item_id": f"{lesson}-08", "text": text}, headers=people["learner"]
        )
    ).json()
    assessed = await client.post(
        f"/submissions/{mine['id']}/self-assessment",
        json={"scores": WRITING_SCORES},
        headers=people["learner"],
    )
    assert assessed.status_code == 200, assessed.text
    assert (assessed.json()["status"], assessed.json()["points"]) == ("self_assessed", 17.5)
    async with db() as session:
        row = await session.scalar(select(Submission).where(Submission.id == uuid.UUID(mine["id"])))
        assert score_points(row) is None and score_points(row, self_assessed_too=True) == 17.5
    rubric = (await client.get("/submissions/rubric", headers=people["learner"])).json()
    assert rubric["part_points"] == 25 and rubric["writing"][0]["description"].startswith("Выполнение")
    page = (await client.get("/submissions?limit=1", headers=people["learner"])).json()
    assert page["limit"] == 1 and len(page["items"]) == 1

    body, confirmed = await _record(client, client, people["learner"], f"{lesson}-09", OGG)
    key = f"submissions/{people['learner_id']}/{body['submission']['id']}.ogg"
    assert confirmed.status_code == 200 and store.exists(key)
    export = (await client.get("/me/export", headers=people["learner"])).json()
    assert {s["id"] for s in export["submissions"]} >= {mine["id"], body["submission"]["id"]}

    assert (await client.delete("/me", headers=people["learner"])).status_code == 204
    assert not store.exists(key)
    async with db() as session:
        left = await session.scalars(
            select(Submission).where(Submission.learner_id == uuid.UUID(people["learner_id"]))
        )
        assert list(left) == []
