"""An offline batch is read entry by entry: a bad entry is rejected with its index and the field named,
every other entry is stored; the batch limit holds; a single unreadable answer is a 400."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.db.tables import Ability, AbilitySnapshot, Answer, ReviewState
from learning_api.settings import Settings
from learning_api.study.schemas import MAX_BATCH
from tests.conftest import published_lesson, sign_up


async def test_bad_entries_are_rejected_one_by_one_and_the_rest_stored(
    client: AsyncTestClient, db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    exercises = await published_lesson(db, settings, tmp_path)
    typed = [e for e in exercises.values() if e.type in ("cloze", "inflect", "translate")]
    learner = await sign_up(client)
    at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()

    def entry(exercise, **changes):  # type: ignore[no-untyped-def]
        return {"id": str(uuid.uuid4()), "item_id": exercise.id, "answered_at": at,
                "response": exercise.answers[0], **changes}  # fmt: skip

    good = [entry(typed[0]), entry(typed[1])]
    bad = {
        1: (entry(typed[0], id="not-a-uuid"), "id"),
        2: (entry(typed[0], answered_at="yesterday"), "answered_at"),
        3: (entry(typed[0], answered_at="2026-11-25T12:47:30"), "answered_at"),  # no time zone
        4: (entry(typed[0], mood="good"), "mood"),
        5: (entry(typed[0], response="ja\u0000h"), "response"),
        6: ("just a string", "entry"),
        7: (entry(typed[0], latency_ms=-5), "latency_ms"),
    }
    batch = [good[0], *(body for body, _ in bad.values()), good[1]]
    r = await client.post("/study/answers", json=batch, headers={"Authorization": learner["auth"]})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["accepted"], out["rejected"]) == (2, len(bad))
    assert [res["index"] for res in out["results"]] == list(range(len(batch)))
    for index, (body, field) in bad.items():
        result = out["results"][index]
        assert (result["status"], result["field"]) == ("rejected", field), result
        assert result["reason"]
        if index in (2, 3, 4, 5):  # what could be read is echoed back, so the client can match it up
            assert result["id"] == body["id"] and result["item_id"] == body["item_id"]
    async with db() as session:
        stored = set(
            await session.scalars(select(Answer.id).where(Answer.learner_id == uuid.UUID(learner["id"])))
        )
    assert stored == {uuid.UUID(e["id"]) for e in good}

    # A logged answer sent again is a duplicate, also where it would be refused now (an item unknown, a
    # time in the future), and a batch of replays changes nothing: no state, no ability, no snapshot.
    async with db() as session:
        before = await _learner_rows(session, uuid.UUID(learner["id"]))
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    replays = [good[1], {**good[0], "item_id": "no-such-item"}, {**good[1], "answered_at": future}]
    r = await client.post("/study/answers", json=replays, headers={"Authorization": learner["auth"]})
    assert r.status_code == 200, r.text
    assert [res["status"] for res in r.json()["results"]] == ["duplicate"] * 3
    assert [res["item_id"] for res in r.json()["results"]] == [typed[1].id, typed[0].id, typed[1].id]
    async with db() as session:
        assert await _learner_rows(session, uuid.UUID(learner["id"])) == before


async def _learner_rows(session: AsyncSession, learner_id: uuid.UUID) -> list[tuple]:
    """Everything an answer may move for the learner, as plain values."""
    out: list[tuple] = []
    for table in (ReviewState, Ability, AbilitySnapshot, Answer):
        rows = await session.execute(select(table.__table__).where(table.learner_id == learner_id))
        out += sorted(tuple(map(str, row)) for row in rows)
    return out


async def test_batch_limit_and_single_answers(client: AsyncTestClient, db) -> None:  # type: ignore[no-untyped-def]
    learner = await sign_up(client)
    headers = {"Authorization": learner["auth"]}
    one = {"id": str(uuid.uuid4()), "item_id": "x", "answered_at": datetime.now(UTC).isoformat()}
    too_many = [{**one, "id": str(uuid.uuid4())} for _ in range(MAX_BATCH + 1)]
    r = await client.post("/study/answers", json=too_many, headers=headers)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "body"
    assert (await client.post("/study/answers", json=[], headers=headers)).status_code == 400
    r = await client.post("/study/answers", json={**one, "response": "a\u0000"}, headers=headers)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "response"
    r = await client.post("/study/answers", json={**one, "id": "nope"}, headers=headers)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "id"
    async with db() as session:
        count = await session.scalar(
            select(func.count()).where(Answer.learner_id == uuid.UUID(learner["id"]))
        )
    assert count == 0
