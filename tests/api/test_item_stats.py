"""Authors see how each exercise fares: attempts, share right on first tries, median time, calibrated
parameters and learners' reports, with flags; through the API and `keelerada content stats --items`."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.authoring.item_stats import MIN_EVIDENCE
from learning_api.db.tables import Answer
from learning_api.settings import Settings
from tests.conftest import published_lesson, sign_up

LEARNERS = MIN_EVIDENCE + 4


async def _answers(db: async_sessionmaker[AsyncSession], hard: str, easy: str) -> None:
    """Each learner tries both items: the hard one right on the first try for 4 of them (then right on a
    review), the easy one always right; latencies 2 s (easy) and 9 s (hard)."""
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    async with db() as session, session.begin():
        for k in range(LEARNERS):
            learner = uuid.uuid4()
            for item, first_right, latency in ((hard, k < 4, 9000), (easy, True, 2000)):
                for n, right in enumerate((first_right, True)):
                    at = start + timedelta(days=n, minutes=k)
                    session.add(
                        Answer(
                            learner_id=learner,
                            id=uuid.uuid4(),
                            item_id=item,
                            answered_at=at,
                            received_at=at,
                            response="x",
                            correct=right,
                            verdict="exact" if right else "wrong",
                            grade=3 if right else 1,
                            latency_ms=latency,
                        )
                    )


async def test_item_statistics_flag_the_hard_and_the_reported(
    client: AsyncTestClient,
    db,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # type: ignore[no-untyped-def]
    exercises = await published_lesson(db, settings, tmp_path)
    hard, easy = sorted(exercises)[:2]
    lesson_id = exercises[hard].id.rsplit("-", 1)[0]
    await _answers(db, hard, easy)
    learner, author = await sign_up(client), await sign_up(client, role="author")
    reported = await client.post(
        f"/items/{easy}/feedback",
        json={"kind": "error", "message": "Kaks vastust sobivad."},
        headers={"Authorization": learner["auth"]},
    )
    assert reported.status_code == 201, reported.text

    url = f"/authoring/lessons/{lesson_id}/items"
    assert (await client.get(url, headers={"Authorization": learner["auth"]})).status_code == 403
    r = await client.get(url, headers={"Authorization": author["auth"]})
    assert r.status_code == 200, r.text
    stats = {s["item_id"]: s for s in r.json()["items"]}
    assert set(stats) == set(exercises)
    h, e = stats[hard], stats[easy]
    assert (h["attempts"], h["learners"]) == (2 * LEARNERS, LEARNERS)
    assert h["first_attempt_right"] == round(4 / LEARNERS, 3)
    assert h["share_right"] == round((4 + LEARNERS) / (2 * LEARNERS), 3)
    assert h["median_latency_ms"] == 9000 and e["median_latency_ms"] == 2000
    assert h["flags"] == ["too hard"]
    assert e["flags"] == ["too easy", "reported"] and e["error_reports"] == 1
    untouched = next(s for s in stats.values() if s["item_id"] not in (hard, easy))
    assert (
        untouched["attempts"] == 0 and untouched["first_attempt_right"] is None and untouched["flags"] == []
    )
    assert (
        await client.get("/authoring/lessons/no-such/items", headers={"Authorization": author["auth"]})
    ).status_code == 404

    from learning_api.settings import get_settings
    from scripts.cli import main

    monkeypatch.setenv("KEELERADA_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("KEELERADA_OBJECT_STORE_URL", settings.object_store_url)
    get_settings.cache_clear()
    try:
        capsys.readouterr()
        args = ["content", "stats", "--items", "--lesson", lesson_id, "--json"]
        assert await anyio.to_thread.run_sync(main, args) == 0  # the CLI runs its own event loop
    finally:
        get_settings.cache_clear()
    printed = {s["item_id"]: s for s in json.loads(capsys.readouterr().out.strip().splitlines()[-1])}
    assert printed[hard]["flags"] == ["too hard"]
