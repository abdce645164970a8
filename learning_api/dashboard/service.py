"""What the teachers' dashboard shows, gathered with the same services the API uses (so the page and the
API never disagree), plus the two queries only the page needs: browsing the bank and a class's hardest
items. Grouped queries throughout: a class of 40 costs what a class of 4 does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
from markupsafe import Markup
from sqlalchemy import Integer, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.levels import LEVELS
from learning_api.classes.schemas import ReportRow
from learning_api.db.activity import answers_per_day
from learning_api.db.tables import Ability, Answer, ClassMember, Item, Lesson, SchoolClass, User
from learning_api.errors import NotFound
from learning_api.reports.service import READINESS_BINS, standing
from models.ability import band_of

BANK_PAGE = 200
HARDEST_MIN_ANSWERS = 2


@dataclass(frozen=True)
class BankFilter:
    """A rule for picking exercises: any of these left empty matches everything."""

    level: str = ""
    skill: str = ""
    topic: str = ""
    type: str = ""
    word: str = ""


async def bank(session: AsyncSession, rule: BankFilter, limit: int = BANK_PAGE) -> list[Item]:
    """Published exercises matching the rule, in course order; ``word`` matches a lemma or the id."""
    query = (
        select(Item)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(Lesson.published_version.is_not(None), Item.removed_in_version.is_(None))
        .order_by(Lesson.position, Lesson.id, Item.id)
    )
    for column, value in ((Item.level, rule.level), (Item.skill, rule.skill), (Item.topic, rule.topic),
                          (Item.type, rule.type)):  # fmt: skip
        if value:
            query = query.where(column == value)
    items = list(await session.scalars(query))
    word = rule.word.strip().casefold()
    if word:
        items = [
            i for i in items if word in i.id.casefold() or any(word in lemma.casefold() for lemma in i.lemmas)
        ]
    return items[:limit]


async def bank_choices(session: AsyncSession) -> dict[str, list[str]]:
    """The values the filters can take, from what is published."""
    out: dict[str, list[str]] = {}
    for name, column in (
        ("level", Item.level),
        ("skill", Item.skill),
        ("topic", Item.topic),
        ("type", Item.type),
    ):
        values = await session.scalars(select(column).distinct().order_by(column))
        out[name] = [v for v in values if v]
    return out


async def hardest_items(
    session: AsyncSession, class_id: uuid.UUID, since: datetime, limit: int = 20
) -> list[tuple[str, int, int]]:
    """(item, wrong, answers) for the items this class's learners get wrong most in the period."""
    members = select(ClassMember.learner_id).where(ClassMember.class_id == class_id)
    wrong = func.sum(1 - cast(Answer.correct, Integer))
    rows = await session.execute(
        select(Answer.item_id, wrong, func.count())
        .where(Answer.learner_id.in_(members), Answer.answered_at >= since)
        .group_by(Answer.item_id)
        .having(func.count() >= HARDEST_MIN_ANSWERS, wrong > 0)
        .order_by(wrong.desc(), Answer.item_id)
        .limit(limit)
    )
    return [(item, int(w), int(n)) for item, w, n in rows]


async def level_spread(session: AsyncSession, class_id: uuid.UUID, cuts: tuple[float, ...]) -> dict[str, int]:
    """Learners of the class per overall level (the lowest of their measured skills, as progress shows)."""
    members = select(ClassMember.learner_id).where(ClassMember.class_id == class_id)
    rows = await session.execute(
        select(Ability.learner_id, func.min(Ability.theta))
        .where(Ability.learner_id.in_(members), Ability.n_answers > 0)
        .group_by(Ability.learner_id)
    )
    spread = dict.fromkeys(LEVELS, 0)
    for _, theta in rows:
        spread[LEVELS[int(band_of(theta, cuts))]] += 1
    return spread


async def readiness_spread(
    session: AsyncSession, class_id: uuid.UUID, cuts: tuple[float, ...]
) -> dict[str, int]:
    """Learners of the class per band of their chance to pass their own target exam now."""
    members = select(ClassMember.learner_id).where(ClassMember.class_id == class_id).scalar_subquery()
    spread = dict.fromkeys(READINESS_BINS, 0)
    for _, _, readiness in await standing(session, members, literal("class"), cuts):
        spread[readiness] += 1
    return spread


async def daily_answers(session: AsyncSession, class_id: uuid.UUID, since: datetime) -> dict[str, int]:
    """Answers of the class per day (UTC), for the progress-over-time chart."""
    members = select(ClassMember.learner_id).where(ClassMember.class_id == class_id)
    return await answers_per_day(session, members, since)


async def class_member(session: AsyncSession, row: SchoolClass, learner_id: uuid.UUID) -> User:
    user = await session.scalar(
        select(User)
        .join(ClassMember, ClassMember.learner_id == User.id)
        .where(ClassMember.class_id == row.id, User.id == learner_id)
    )
    if user is None:
        raise NotFound("this learner is not in the class", field="learner_id")
    return user


async def recent_answers(session: AsyncSession, learner_id: uuid.UUID, limit: int = 30) -> list[Answer]:
    return list(
        await session.scalars(
            select(Answer)
            .where(Answer.learner_id == learner_id)
            .order_by(Answer.answered_at.desc())
            .limit(limit)
        )
    )


def period_start(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def report_chart_rows(rows: list[ReportRow]) -> list[tuple[str, float]]:
    return [(r.display_name or r.email.split("@")[0], float(r.answers)) for r in rows]


def join_qr(code: str) -> Markup:
    """The class's join code as an inline SVG QR code, for the projector: the phone reads the code itself."""
    return Markup(segno.make(code, error="m").svg_inline(scale=4, title=f"Join code {code}"))
