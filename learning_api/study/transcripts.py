"""A dialogue's transcript, for the learner who has answered its questions.

The turns are the answers' source: shown with the questions, they would turn a listening task into a
reading one. Once every question of the dialogue has an answer from this learner (any time, in any
session), the transcript helps them hear what they missed, and it stays theirs from then on.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import Answer
from learning_api.errors import Conflict, NotFound
from learning_api.storage import ObjectStore
from learning_api.study.bank import published_bank
from learning_api.study.schemas import TranscriptOut, TurnOut


async def transcript(
    session: AsyncSession, store: ObjectStore, learner_id: uuid.UUID, group: str
) -> TranscriptOut:
    bank = await published_bank(session, store)
    passage = next(
        (
            p.exercise.passage
            for p in bank.entries.values()
            if p.exercise.group == group and p.exercise.type == "dialogue"
        ),
        None,
    )
    if passage is None:
        raise NotFound("no dialogue '{group}' is published", field="group", group=group)
    answered = set(
        await session.scalars(
            select(Answer.item_id)
            .where(Answer.learner_id == learner_id, Answer.item_id.in_(passage.questions))
            .distinct()
        )
    )
    if answered != set(passage.questions):
        raise Conflict(
            "Answer every question of the dialogue first; then its transcript is yours.", field="group"
        )
    return TranscriptOut(
        group=passage.id,
        situation=passage.situation or "",
        recording=passage.recording,  # type: ignore[arg-type]
        turns=[TurnOut(speaker=turn.speaker, text=turn.text) for turn in passage.turns or []],
    )
