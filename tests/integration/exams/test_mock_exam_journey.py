"""Issue 9's end-to-end test: a learner takes an A2 mock exam through the API, on SQLite and PostgreSQL,
with the course and its media in the real S3 server (`weed mini`). The course is the small exam course
under tests/fixtures/exam_course, so the test does not wait on the real content."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.app import create_app
from learning_api.authoring.batch import upload_paths
from learning_api.catalog.documents import Exercise
from learning_api.catalog.library import exercises_by_id, load_lesson
from learning_api.settings import Settings
from learning_api.storage import open_store
from tests.conftest import fresh_database

COURSE = Path(__file__).resolve().parents[2] / "fixtures" / "exam_course" / "eesti-proov"
LESSON = "a2-90-proovieksam"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class World:
    def __init__(self, client: AsyncTestClient, db: async_sessionmaker[AsyncSession], clock: Clock,
                 exercises: dict[str, Exercise]) -> None:  # fmt: skip
        self.client, self.db, self.clock, self.exercises = client, db, clock, exercises

    async def account(self, role: str = "learner", **profile: object) -> dict[str, str]:
        from learning_api.accounts.service import register

        email, password = f"{role}-{uuid.uuid4().hex[:10]}@example.ee", "hea-parool-123"
        async with self.db() as session, session.begin():
            made = await register(session, email=email, password=password, role=role)
        login = await self.client.post("/auth/login", json={"email": email, "password": password})
        auth = {"Authorization": f"Bearer {login.json()['token']}"}
        if profile:
            assert (await self.client.patch("/me/profile", json=profile, headers=auth)).status_code == 200
        return {"id": str(made.id), **auth}


@pytest.fixture(scope="module")
async def world(
    s3_server, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:  # type: ignore[no-untyped-def]
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url = fresh_database(kind, "mockexam", tmp_path_factory)
    objects = s3_server.new_bucket_url()
    engine = create_async_engine(url, poolclass=NullPool)
    db = async_sessionmaker(engine, expire_on_commit=False)
    store = open_store(objects)
    store.ensure_bucket()
    report, _ = await upload_paths(db, store, [COURSE / f"{LESSON}.yaml"], publish=True)
    assert report.ok, report.problems
    settings = Settings(database_url=url, object_store_url=objects, token_secret="t-" + uuid.uuid4().hex)
    clock = Clock()
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        yield World(client, db, clock, exercises_by_id(load_lesson(store, LESSON, 1)))
    await engine.dispose()


def _right(exercise: Exercise) -> str:
    return exercise.answers[0]


def _wrong(exercise: Exercise) -> str:
    """A readable answer that is wrong (an unreadable one is refused, not graded)."""
    right = exercise.answers[0]
    if exercise.kind == "true-false":
        return next(v for v in ("true", "false", "not-given") if v != right)
    if exercise.kind == "choice":
        return next(o for o in exercise.options or [] if o != right)
    if exercise.kind == "match":
        return "\n".join(reversed(right.split("\n")))
    return "vale vastus"


async def _open_items(world: World, auth: dict[str, str], url: str, part: str) -> list[str]:
    opened = await world.client.post(f"{url}/parts/{part}/open", headers=auth)
    assert opened.status_code == 200, opened.text
    shown = next(p for p in opened.json()["parts"] if p["part"] == part)
    return [i["item_id"] for group in shown["groups"] for i in group]


async def _link(world: World, auth: dict[str, str], url: str, item: str, submission: str) -> None:
    """Answer a writing or speaking item with the submission, then hand the part in."""
    r = await world.client.post(
        f"{url}/answers", json={"item_id": item, "submission_id": submission}, headers=auth
    )
    assert r.status_code == 200, r.text
    part = r.json()["part"]
    done = await world.client.post(f"{url}/parts/{part}/submit", headers=auth)
    shown = next(p for p in done.json()["parts"] if p["part"] == part)
    assert (shown["status"], shown["pending"], shown.get("points")) == ("submitted", True, None)


async def _take_machine_part(world: World, auth: dict[str, str], url: str, part: str, wrong: int) -> dict:  # type: ignore[type-arg]
    """Open the part, answer every item (the first ``wrong`` wrongly), read it back, submit it."""
    opened = await world.client.post(f"{url}/parts/{part}/open", headers=auth)
    assert opened.status_code == 200, opened.text
    shown = next(p for p in opened.json()["parts"] if p["part"] == part)
    items = [i["item_id"] for group in shown["groups"] for i in group]
    for k, item in enumerate(items):
        exercise = world.exercises[item]
        response = _wrong(exercise) if k < wrong else _right(exercise)
        r = await world.client.post(
            f"{url}/answers", json={"item_id": item, "response": response}, headers=auth
        )
        assert r.status_code == 200, r.text
        world.clock.advance(minutes=1)
    # a dropped connection: the app reads the exam again and finds every answer where it left it
    resumed = next(
        p for p in (await world.client.get(url, headers=auth)).json()["parts"] if p["part"] == part
    )
    assert resumed["status"] == "open" and resumed["answered"] == len(items)
    assert [[i["item_id"] for i in g] for g in resumed["groups"]] == [
        [i["item_id"] for i in g] for g in shown["groups"]
    ]
    done = await world.client.post(f"{url}/parts/{part}/submit", headers=auth)
    assert done.status_code == 200, done.text
    scored = next(p for p in done.json()["parts"] if p["part"] == part)
    assert scored["correct"] == len(items) - wrong
    return scored


async def test_a_learner_takes_an_a2_mock_exam_end_to_end(world: World) -> None:
    learner = await world.account(target_level="A2")
    auth = {"Authorization": learner["Authorization"]}
    before = (await world.client.get("/progress", headers=auth)).json()["readiness"]["parts"]

    exam_id = str(uuid.uuid4())
    started = await world.client.post("/exams", json={"id": exam_id, "level": "A2", "seed": 3}, headers=auth)
    assert started.status_code == 201, started.text
    exam = started.json()
    assert [p["part"] for p in exam["parts"]] == ["listening", "reading", "writing", "speaking"]
    assert [p["time_limit_minutes"] for p in exam["parts"]] == [30, 50, 30, 15]
    assert [p["scoring"] for p in exam["parts"]] == ["machine", "machine", "teacher", "teacher"]
    assert all(p["status"] == "waiting" and p.get("groups") is None for p in exam["parts"])
    replay = await world.client.post("/exams", json={"id": exam_id, "level": "A2", "seed": 3}, headers=auth)
    assert replay.status_code == 201 and replay.json()["parts"] == exam["parts"]  # idempotent by id
    url = f"/exams/{exam_id}"

    listening = await _take_machine_part(world, auth, url, "listening", wrong=1)
    assert listening["items"] == 5 and listening["points"] == 20  # 4 of 5
    reading = await _take_machine_part(world, auth, url, "reading", wrong=2)
    assert reading["items"] == 7 and reading["points"] == 18  # 5 of 7 -> 17.9

    result = (await world.client.get(url, headers=auth)).json()["result"]
    assert result["points"]["listening"] == 20 and result["points"]["reading"] == 18
    assert result["passed"] is None

    # writing: the text is handed in as a submission, which the exam item links; the part is then pending
    writing = await _open_items(world, auth, url, "writing")
    text = "Tere, Kadri! Ma nägin teie kuulutust. Ma tahan kohvikus töötada, sest ma räägin eesti keelt."
    written = await world.client.post(
        "/submissions/writing", json={"item_id": writing[0], "text": text}, headers=auth
    )
    assert written.status_code == 201, written.text
    await _link(world, auth, url, writing[0], written.json()["id"])
    # speaking: the recording goes to the real S3 server by the presigned URL, is confirmed, then linked
    speaking = await _open_items(world, auth, url, "speaking")
    started = await world.client.post(
        "/submissions/speaking", json={"item_id": speaking[0], "content_type": "audio/ogg"}, headers=auth
    )
    assert started.status_code == 201, started.text
    upload = started.json()
    async with httpx.AsyncClient() as s3:
        put = await s3.put(
            upload["upload_url"], content=b"OggS" + bytes(2000), headers={"Content-Type": "audio/ogg"}
        )
    assert put.status_code == 200, put.text
    recording = upload["submission"]["id"]
    assert (await world.client.post(f"/submissions/{recording}/confirm", headers=auth)).status_code == 200
    await _link(world, auth, url, speaking[0], recording)

    exam = (await world.client.get(url, headers=auth)).json()
    assert exam["status"] == "finished"
    assert [p["pending"] for p in exam["parts"]] == [False, False, True, True]
    assert exam["result"]["pending"] == ["writing", "speaking"] and exam["result"]["passed"] is None
    assert exam["result"]["total"] == 38

    # the learner's teacher scores both on the rubric; the exam's result is then complete
    teacher = {"Authorization": (await world.account("teacher"))["Authorization"]}
    made = (await world.client.post("/classes", json={"name": "Proovieksam"}, headers=teacher)).json()
    joined = await world.client.post("/classes/join", json={"code": made["join_code"]}, headers=auth)
    assert joined.status_code in (200, 201), joined.text
    for submission, scores in (
        (written.json()["id"], {"task": 4, "vocabulary": 3, "grammar": 3, "coherence": 4}),  # 17.5
        (recording, {"task": 3, "vocabulary": 3, "grammar": 2, "fluency": 3, "pronunciation": 4}),  # 15
    ):
        scored = await world.client.post(
            f"/scoring/submissions/{submission}/score",
            json={"scores": scores, "comment": "Hea!"},
            headers=teacher,
        )
        assert scored.status_code == 200, scored.text
    result = (await world.client.get(url, headers=auth)).json()["result"]
    assert result["points"] == {"listening": 20, "reading": 18, "writing": 18, "speaking": 15}
    assert (result["total"], result["pending"], result["passed"]) == (71, [], True)

    after = (await world.client.get("/progress", headers=auth)).json()["readiness"]["parts"]
    for part in ("listening", "reading", "writing", "speaking"):
        was, now = (next(p for p in parts if p["part"] == part) for parts in (before, after))
        assert now["measured"] and not was["measured"]
        assert now["expected_points"] != was["expected_points"]
