"""A person's score of a writing or speaking task as evidence of the learner's ability in that skill.

The same rules as a study answer (`memory.answer_weight`): only a first attempt at an item is ability
evidence (a second text for the same task says the learner practised it), and the learner's own
assessment counts half. The score enters as the share of the rubric's points (`memory.update_ability`),
against the item's (a, b) like any answer, under the skill's ability lock, with the day's snapshot
(the readiness trend) — so a scored task moves readiness exactly as answers do.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Item, LearnerProfile
from learning_api.modelling.params import ParamsCache
from learning_api.study.memory import answer_weight, update_ability
from learning_api.study.repository import lock_abilities, snapshot_abilities


async def add_scored_evidence(
    session: AsyncSession,
    params: ParamsCache,
    learner_id: uuid.UUID,
    item: Item,
    share: float,
    *,
    first_time: bool,
    self_assessed: bool,
    now: datetime,
) -> bool:
    """Move ``item.skill``'s ability by a score of ``share`` (0–1); returns whether it counted."""
    weight = answer_weight(first_time=first_time, self_graded=self_assessed)
    if weight == 0.0:
        return False
    rows = await lock_abilities(session, learner_id, {item.skill}, now)
    a, b = (await params.current(session)).item_ab(item.id, item.irt_a, item.irt_b)
    update_ability(rows[item.skill], a, b, share, now, weight)
    profile = await session.get(LearnerProfile, learner_id)
    zone = ZoneInfo(profile.time_zone if profile else "Europe/Tallinn")
    await snapshot_abilities(session, learner_id, rows, now.astimezone(zone).date())
    return True
