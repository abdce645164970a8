"""The progress overview: levels, readiness, words known, review load, streak and this week's plan."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.accounts import service as accounts
from learning_api.catalog.levels import LEVELS
from learning_api.db.tables import LearnerProfile
from learning_api.i18n import translator
from learning_api.progress import readiness, service
from learning_api.progress.course import course_facts
from learning_api.progress.plan import weekly_plan
from learning_api.progress.schemas import PartReadiness, ProgressOut
from learning_api.progress.schemas import Readiness as ReadinessOut
from learning_api.study.repository import read_abilities
from models.exam import EXAM_PARTS
from models.readiness import Readiness


async def build_overview(
    db_session: AsyncSession,
    learner: uuid.UUID,
    now: datetime,
    cuts: tuple[float, ...],
    profile: LearnerProfile | None = None,
) -> ProgressOut:
    """``cuts``: the CEFR cut points served now (`modelling.params.provide_cuts`); ``profile``: the
    learner's, when the caller has it (the request's own, joined by the token lookup), else read."""
    profile = profile or await accounts.get_profile(db_session, learner)
    zone, lang = ZoneInfo(profile.time_zone), profile.instruction_language
    abilities = await read_abilities(db_session, learner)
    today = service.local_day(now, zone)
    growth = await readiness.growth_for(db_session, learner, abilities, today)
    ready = readiness.assess(abilities, growth, profile.target_level, now, cuts)
    course = await course_facts(db_session)
    levels_in_bank = set(course.levels)
    states = await service.state_facts(db_session, learner, now, course, service.day_edges(now, zone))
    met = states.met
    known, seen = service.words_known(met, states.recalled, course.lemmas)
    due_today, due_days = service.review_load(states.below, today)
    days, answers_total = await service.study_record(db_session, learner, now, zone)
    streak = service.streak(days, today)
    levels = service.skill_levels(abilities, cuts)
    overall = min((LEVELS.index(s.level) for s in levels), default=0)
    return ProgressOut(
        language=lang,
        overall_level=LEVELS[overall],
        levels=levels,
        readiness=readiness_out(
            ready, profile.target_exam_date, levels_in_bank, lang, readiness.measured_parts(abilities)
        ),
        words_known=known,
        words_seen=seen,
        due_today=due_today,
        due_next_7_days=due_days,
        streak_days=streak,
        studied_today=today in days,
        answers_total=answers_total,
        plan=weekly_plan(
            lang,
            ready,
            due_today,
            sum(d.reviews for d in due_days),
            service.next_lesson(course.lessons, met, lang),
            streak,
            profile.daily_goal_items,
            set(course.skills),
        ),
    )


# msgids: why a part is not measured yet; speaking is measured only by a person's score of a recording
UNMEASURED = {
    "listening": "Not measurable yet: no listening answers; estimated from your other skills.",
    "reading": "Not measurable yet: no reading answers; estimated from your other skills.",
    "writing": "Not measurable yet: no writing answers or scored texts; estimated from your other skills.",
    "speaking": "Not measurable yet: no recording of yours has been scored; estimated from writing and "
    "listening.",
}


def readiness_out(
    ready: Readiness, exam_date: date | None, bank: set[str], lang: str, measured: set[str] | None = None
) -> ReadinessOut:
    _ = translator(lang)
    measurable_levels = [level for level in readiness.EXAM_LEVELS if level in bank]
    reason = readiness.unmeasurable_reason(ready.level, bank)
    if reason is not None:
        return ReadinessOut(
            level=ready.level, exam_date=exam_date, measurable=False, measurable_levels=measurable_levels,
            probability=None, probability_low=None, probability_high=None, weakest_skill=None,
            forecast_date=None, forecast_earliest=None, forecast_latest=None,
            explanation=_("Readiness for {level} is not measurable yet.").format(level=ready.level),
            reason=_(reason).format(level=ready.level),
        )  # fmt: skip
    return ReadinessOut(
        level=ready.level, exam_date=exam_date, measurable=True, measurable_levels=measurable_levels,
        probability=round(ready.probability, 3), probability_low=round(ready.probability_low, 3),
        probability_high=round(ready.probability_high, 3), weakest_skill=ready.weakest_skill,
        forecast_date=ready.forecast_date, forecast_earliest=ready.forecast_earliest,
        forecast_latest=ready.forecast_latest,
        explanation=_("Your chance to pass the {level} exam now: {percent}%.").format(
            level=ready.level, percent=round(100 * ready.probability)
        ),
        parts=[
            PartReadiness(
                part=part,
                expected_points=round(points, 1),
                measured=part in (measured or set()),
                reason=None if part in (measured or set()) else _(UNMEASURED[part]),
            )
            for part, points in zip(EXAM_PARTS, ready.expected_part_points, strict=True)
        ],
    )  # fmt: skip
