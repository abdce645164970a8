"""A mock exam part's result as ability evidence: the rule by which a mock exam feeds readiness.

A machine part's score (listening, reading) moves the ability of the skill named like the part by the
readiness model's own part curve (`models.readiness.part_log_likelihood`) at the exam level's cut point,
with as many trials as the part had scored questions: one strong piece of evidence on the scale the
exam measures. Readiness reads the skills' abilities, so the next /progress shows the new estimate.
Writing and speaking parts are scored per submission by a teacher, and each score moves its skill by
the submissions' rule (`study.scored`) when it is given.

The part's single answers are not also logged as study answers (the answer log, memory states): that
would count the same responses twice, and an exam answer may be changed until the part is handed in,
which an append-only log cannot express. Items shown in a mock exam still count as seen for the next
mock exam's assembly (`service.recently_seen`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.study.memory import add_evidence
from learning_api.study.repository import lock_abilities, snapshot_abilities
from models.ability import CEFR_LEVELS
from models.readiness import part_log_likelihood


def level_cut(level: str, cuts: Sequence[float]) -> float:
    """The skill's theta at the border into ``level`` among ``cuts``, the cut points served now (those
    readiness is assessed against)."""
    return cuts[CEFR_LEVELS.index(level) - 1]


async def record_part_result(
    session: AsyncSession,
    learner_id: uuid.UUID,
    part: str,
    level: str,
    share: float,
    trials: int,
    now: datetime,
    time_zone: str,
    cuts: Sequence[float],
) -> None:
    """Add the part's result (``share`` right of ``trials``) to the skill named like the part."""
    rows = await lock_abilities(session, learner_id, {part}, now)
    add_evidence(rows[part], part_log_likelihood(share, trials, level_cut(level, cuts)), now)
    await snapshot_abilities(session, learner_id, rows, now.astimezone(ZoneInfo(time_zone)).date())
