"""Study days: answers (and right answers) per learner and local day, counted when answers are logged.

Every writer of the answer log (the study intake, placement, the simulation, the load seeder) counts
what it logged here, in the same transaction and through this one rule, so the counts always agree with
the log; progress then reads a learner's streak, answer total and daily history from a few hundred day
rows however long the log grows. Migration 0018 back-filled the log written before.

The day is the learner's local date in the zone the profile names when the answer is logged (an answer
uploaded from an offline device is dated by its own answered-at time, in that zone). A later change of
zone leaves the days already counted where they are: they are the days the learner lived.

Lock order: the intake locks the learner's ability rows first, then upserts its day rows in day order;
placement counts its answer after its ability rows moved. Two writers for one learner therefore never
wait on each other crosswise.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.bulk import Upsert, upsert_all
from learning_api.db.tables import StudyDay

# One logged answer as the counts see it: (learner, answered at, right)
Answered = tuple[uuid.UUID, datetime, bool]


def day_counts(answers: Iterable[Answered], zone: ZoneInfo) -> list[dict[str, Any]]:
    """The `StudyDay` rows the answers add up to (``zone``: the learners' time zone), in (learner, day)
    order: the order every writer locks them in, and one row per key, as one upsert needs."""
    counts: dict[tuple[uuid.UUID, date], list[int]] = {}
    for learner, moment, correct in answers:  # ISO text once per day, not per answer: a hot loop
        key = (learner, moment.astimezone(zone).date())
        entry = counts.get(key)
        if entry is None:
            entry = counts[key] = [0, 0]
        entry[0] += 1
        entry[1] += correct
    return [
        {"learner_id": learner, "day": day.isoformat(), "answers": n, "correct": right}
        for (learner, day), (n, right) in sorted(counts.items(), key=lambda kv: (kv[0][0].int, kv[0][1]))
    ]


def counted(answers: Iterable[Answered], zone: ZoneInfo) -> Upsert:
    """The upsert that adds the logged ``answers`` to their days: ``INSERT … ON CONFLICT DO UPDATE answers
    = answers + excluded.answers`` for the whole batch (`db.bulk`). Only answers this transaction really
    logged may come here: a replayed id counts once, as it is logged once."""
    rows = day_counts(answers, zone)
    return Upsert.of_rows(StudyDay.__table__, rows, ["learner_id", "day"], add=["answers", "correct"])


async def count_answers(session: AsyncSession, answers: Iterable[Answered], zone: ZoneInfo) -> None:
    """Add the logged ``answers`` to their days (`counted`), in one statement."""
    await upsert_all(session, [counted(answers, zone)])
