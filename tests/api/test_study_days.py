"""Study days (answers per learner and local day) through the HTTP API: every way an answer lands counts it
on the learner's local day, progress reads its streak, total and history from them in agreement with the
answer log, migration 0018's back-fill counts the log the same way, and deleting the account removes them
(SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import select

from learning_api.db.migrate import alembic_config, upgrade
from learning_api.db.tables import Answer, StudyDay
from tests.api.adaptive_fixture import Course, answer, course, headers, user
from tests.conftest import _in_thread

__all__ = ["course"]  # the module-scoped fixture

ZONE = "Pacific/Kiritimati"  # UTC+14: a local day starts at 10:00 UTC of the day before


async def _days(course: Course, learner: dict[str, str]) -> dict[str, tuple[int, int]]:
    async with course.db() as session:
        rows = await session.execute(
            select(StudyDay.day, StudyDay.answers, StudyDay.correct).where(
                StudyDay.learner_id == uuid.UUID(learner["id"])
            )
        )
        return {day: (n, right) for day, n, right in rows}


async def _all_days(course: Course) -> dict[tuple[uuid.UUID, str], tuple[int, int]]:
    async with course.db() as session:
        rows = await session.execute(select(StudyDay))
        return {(r.learner_id, r.day): (r.answers, r.correct) for (r,) in rows}


async def _from_the_log(course: Course, learner: dict[str, str]) -> dict[str, tuple[int, int]]:
    """The same counts made from the answer log, as the test's own reading of the rule."""
    async with course.db() as session:
        log = await session.execute(
            select(Answer.answered_at, Answer.correct).where(Answer.learner_id == uuid.UUID(learner["id"]))
        )
        counts: Counter[tuple[str, bool]] = Counter(
            (at.astimezone(ZoneInfo(ZONE)).date().isoformat(), correct) for at, correct in log
        )
    days = {day for day, _ in counts}
    return {day: (counts[day, True] + counts[day, False], counts[day, True]) for day in days}


def _item(course: Course, kind: str = "translate") -> str:
    return next(k for k, e in course.exercises.items() if e.type == kind)


async def test_every_answer_counts_on_the_learners_local_day(course: Course) -> None:
    course.clock.now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)  # 02:00 on the 11th in Kiritimati
    learner = await user(course, time_zone=ZONE)
    item = _item(course)
    # 09:30 UTC on the 9th is 23:30 local: the 9th, though the batch below answers the same UTC day
    single = await answer(course, learner, item, answered_at="2026-11-09T09:30:00+00:00")
    batch = [
        {"id": str(uuid.uuid4()), "item_id": item, "answered_at": at, "response": response}
        for at, response in (
            ("2026-11-09T10:30:00+00:00", "xyzzy"),  # 00:30 on the 10th
            ("2026-11-10T09:59:00+00:00", course.exercises[item].answers[0]),  # 23:59 on the 10th
            ("2026-11-10T10:01:00+00:00", course.exercises[item].answers[0]),  # 00:01 on the 11th
        )
    ]
    replayed = {**batch[0], "id": single["id"], "answered_at": "2026-11-09T09:30:00+00:00"}
    for _ in range(2):  # the second upload is all duplicates: nothing counts twice
        sent = await course.client.post("/study/answers", json=[*batch, replayed], headers=headers(learner))
        assert sent.status_code == 200, sent.text
    started = await course.client.post("/placement", headers=headers(learner))
    assert started.status_code == 201, started.text
    placed = await course.client.post(
        f"/placement/{started.json()['id']}/answer",
        json={"item_id": started.json()["next"]["id"], "response": "tere"},
        headers=headers(learner),
    )
    assert placed.status_code == 200, placed.text
    right_in_placement = int(placed.json()["correct"])

    days = await _days(course, learner)
    assert days == {
        "2026-11-09": (1, 1),
        "2026-11-10": (2, 1),
        "2026-11-11": (2, 1 + right_in_placement),  # 00:01 and the placement answer at 02:00
    }
    assert days == await _from_the_log(course, learner)
    progress = (await course.client.get("/progress", headers=headers(learner))).json()
    assert progress["answers_total"] == 5
    assert progress["streak_days"] == 3 and progress["studied_today"]
    history = (
        await course.client.get("/progress/history", params={"days": 30}, headers=headers(learner))
    ).json()
    assert {d["day"]: (d["answers"], d["correct"]) for d in history["days"] if d["answers"]} == days

    course.clock.advance(days=2)  # the 13th local: yesterday unstudied, the streak is broken
    later = (await course.client.get("/progress", headers=headers(learner))).json()
    assert later["streak_days"] == 0 and not later["studied_today"] and later["answers_total"] == 5


async def test_the_migration_back_fills_what_the_writers_counted(course: Course) -> None:
    """Downgraded and upgraded again, the table is rebuilt from the log alone: the same rows, for every
    learner of the module (each answered in the zone their profile still names)."""
    course.clock.now = datetime(2026, 11, 20, 23, 50, tzinfo=UTC)
    other = await user(course, time_zone="America/Los_Angeles")
    for minutes in (0, 20):  # 15:50 and 16:10 local: one day there, two UTC days
        course.clock.advance(minutes=minutes)
        await answer(course, other, _item(course), right=minutes == 0)
    live = await _all_days(course)
    assert live[uuid.UUID(other["id"]), "2026-11-20"] == (2, 1)
    url = course.db.kw["bind"].url.render_as_string(hide_password=False)
    _in_thread(command.downgrade, alembic_config(url), "0017")
    _in_thread(upgrade, url)
    assert await _all_days(course) == live


async def test_deleting_the_account_removes_its_study_days(course: Course) -> None:
    course.clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    learner = await user(course)
    await answer(course, learner, _item(course))
    exported = (await course.client.get("/me/export", headers=headers(learner))).json()
    assert [(d["day"], d["answers"]) for d in exported["study_days"]] == [("2026-11-25", 1)]
    assert (await course.client.delete("/me", headers=headers(learner))).status_code == 204
    assert await _days(course, learner) == {}
    async with course.db() as session:  # the answer stays for calibration, under a random id
        kept = await session.scalar(select(Answer.learner_id).where(Answer.answered_at == course.clock.now))
    assert kept is not None and kept != uuid.UUID(learner["id"])
