"""Readiness counts the exam's four parts honestly: speaking is measured only once a person scored a
recording (the speaking skill then has evidence), and until then it says "not measurable yet"."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from learning_api.catalog.levels import DEFAULT_CUTS
from learning_api.db.tables import Ability
from learning_api.progress import readiness
from learning_api.progress.overview import readiness_out
from learning_api.study.memory import BEGINNER_PRIOR, update_ability

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
LEARNER = uuid.uuid4()


def _ability(skill: str, answers: int = 20) -> Ability:
    return Ability(learner_id=LEARNER, skill=skill, theta=0.5, se=0.3, n_answers=answers, posterior=[])


def _parts(abilities: list[Ability], lang: str = "en") -> dict[str, object]:
    ready = readiness.assess(abilities, None, "A2", NOW, DEFAULT_CUTS)
    out = readiness_out(ready, None, {"A2"}, lang, readiness.measured_parts(abilities))
    return {part.part: part for part in out.parts or []}


def test_speaking_is_not_measurable_until_a_recording_is_scored() -> None:
    skills = [_ability(s) for s in ("vocabulary", "grammar", "reading", "listening", "writing")]
    before = _parts(skills, "et")
    assert not before["speaking"].measured and before["speaking"].reason.startswith("Veel mõõtmata")
    assert before["writing"].measured and before["writing"].reason is None

    speaking = Ability(learner_id=LEARNER, skill="speaking", theta=0.0, se=1.0, n_answers=0, posterior=[])
    update_ability(speaking, 1.0, -1.0, 20.0 / 25.0, NOW)  # a recording scored 20 of 25
    after = _parts([*skills, speaking])
    assert after["speaking"].measured and after["speaking"].reason is None
    assert speaking.n_answers == 1 and speaking.theta > BEGINNER_PRIOR[0]  # a good score: above the prior


def test_a_rubric_share_moves_ability_by_how_good_the_score_was() -> None:
    thetas = []
    for share in (0.2, 0.6, 1.0):
        row = Ability(learner_id=LEARNER, skill="writing", theta=0.0, se=1.0, n_answers=0, posterior=[])
        update_ability(row, 1.0, BEGINNER_PRIOR[0], share, NOW)  # the item sits at the prior mean
        thetas.append(row.theta)
    assert thetas[0] < thetas[1] < thetas[2]
    assert thetas[0] < BEGINNER_PRIOR[0] < thetas[2]
