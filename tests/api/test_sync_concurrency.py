"""Two devices of one learner syncing at the same moment: the same offline batch twice, and different
batches on the same items. Both answer 200, every answer is logged once, and no state update is lost.

Each case runs many rounds: a race shows itself only in some interleavings."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.app import create_app
from learning_api.catalog.documents import Exercise
from learning_api.db.tables import Ability, Answer, ReviewState, StudyDay
from learning_api.settings import Settings
from tests.conftest import published_lesson, sign_up
from tests.fixtures.live import live_client

ROUNDS = 20


@pytest.fixture(scope="module")
async def devices(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Real HTTP to a served app: requests of the two devices overlap for real."""
    async with live_client(create_app(settings)) as http:
        yield http


SECOND = timedelta(seconds=1)


def _batch(typed: list[Exercise], start: datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": str(uuid.uuid4()),
            "item_id": e.id,
            "answered_at": (start + k * SECOND).isoformat(),
            "response": e.answers[0],
        }
        for k, e in enumerate(typed)
    ]


async def _study_counts(db: async_sessionmaker[AsyncSession], learner_id: str) -> tuple[int, int, int, int]:
    """(answers logged, answers counted on study days, review repetitions, answers counted by the ability
    rows) of the learner. Only a first attempt at an item is ability evidence, so the ability rows count
    the items answered."""
    learner = uuid.UUID(learner_id)
    async with db() as session:
        answers = await session.scalar(select(func.count()).where(Answer.learner_id == learner))
        days = await session.scalar(select(func.sum(StudyDay.answers)).where(StudyDay.learner_id == learner))
        reps = await session.scalar(
            select(func.sum(ReviewState.reps)).where(ReviewState.learner_id == learner)
        )
        counted = await session.scalar(
            select(func.sum(Ability.n_answers)).where(Ability.learner_id == learner)
        )
    return answers or 0, days or 0, reps or 0, counted or 0


async def _at_once(
    devices: httpx.AsyncClient, headers: dict[str, str], *batches: list[dict[str, Any]]
) -> list[httpx.Response]:
    """Every batch posted at the same moment, each from its own device; all must answer 200."""
    responses = await asyncio.gather(
        *(devices.post("/study/answers", json=batch, headers=headers) for batch in batches)
    )
    assert [r.status_code for r in responses] == [200] * len(batches), [r.text[:300] for r in responses]
    return list(responses)


async def _learner_with_items(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> tuple[dict[str, str], list[Exercise]]:
    exercises = await published_lesson(db, settings, tmp_path)
    typed = [e for e in exercises.values() if e.type in ("cloze", "inflect", "translate")]
    assert len(typed) >= 2
    return await sign_up(client), typed


async def test_the_same_batch_from_two_devices_at_once(
    devices: httpx.AsyncClient, db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    learner, typed = await _learner_with_items(devices, db, settings, tmp_path)
    headers = {"Authorization": learner["auth"]}
    start = datetime.now(UTC) - timedelta(hours=1)
    for round_ in range(ROUNDS):
        batch = _batch(typed, start + timedelta(minutes=round_))
        first, second = await _at_once(devices, headers, batch, batch)
        counts = sorted((r.json()["accepted"], r.json()["duplicates"]) for r in (first, second))
        assert counts == [(0, len(batch)), (len(batch), 0)], (round_, counts)
        # The replay reports what the first upload was told, answer by answer.
        verdicts = [[a["verdict"] for a in r.json()["results"]] for r in (first, second)]
        assert verdicts[0] == verdicts[1]
        n = (round_ + 1) * len(batch)
        assert await _study_counts(db, learner["id"]) == (n, n, n, len(batch)), round_


async def test_different_batches_on_the_same_items_lose_no_update(
    devices: httpx.AsyncClient, db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    learner, typed = await _learner_with_items(devices, db, settings, tmp_path)
    headers = {"Authorization": learner["auth"]}
    start = datetime.now(UTC) - timedelta(hours=2)
    for round_ in range(ROUNDS):
        at = start + timedelta(minutes=round_)
        phone, tablet = _batch(typed, at), _batch(typed, at + timedelta(seconds=30))
        responses = await _at_once(devices, headers, phone, tablet)
        assert [r.json()["accepted"] for r in responses] == [len(phone), len(tablet)]
        n = (round_ + 1) * (len(phone) + len(tablet))
        assert await _study_counts(db, learner["id"]) == (n, n, n, len(phone)), round_


async def test_two_answers_to_one_placement_step_count_once(
    devices: httpx.AsyncClient, db: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path
) -> None:
    learner, _ = await _learner_with_items(devices, db, settings, tmp_path)
    headers = {"Authorization": learner["auth"]}
    for round_ in range(ROUNDS):
        started = await devices.post("/placement", headers=headers)
        assert started.status_code == 201, started.text
        test_id, item_id = started.json()["id"], started.json()["next"]["id"]
        answer = {"item_id": item_id, "response": "tere"}
        responses = await asyncio.gather(
            *(devices.post(f"/placement/{test_id}/answer", json=answer, headers=headers) for _ in range(2))
        )
        # The step is taken once; the late copy finds its item no longer pending.
        assert sorted(r.status_code for r in responses) == [200, 422], [r.text for r in responses]
        assert (await devices.get(f"/placement/{test_id}", headers=headers)).json()["answered"] == 1
        async with db() as session:
            logged = await session.scalar(select(func.count()).where(Answer.session_id == uuid.UUID(test_id)))
        assert logged == 1, round_
