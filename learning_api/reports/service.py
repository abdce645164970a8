"""Anonymous impact figures for the organisation: who studies, how much, and how far they get, by county or
by instruction language. Grouped queries only (one row per cell or per learner-day, never a query per
learner); every printed table goes through ``disclosure.publish``."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import numpy as np
from sqlalchemy import case, distinct, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from learning_api.catalog.levels import LEVELS
from learning_api.db.dates import utc_month
from learning_api.db.tables import Ability, AbilitySnapshot, Answer, LearnerProfile
from learning_api.progress.readiness import EXAM_LEVELS, current
from learning_api.reports.disclosure import MIN_CELL, ROUND_TO, hidden_cells, publish, rounded
from learning_api.reports.schemas import CurrentCell, GroupBy, ImpactReport, MonthCell
from models.ability import band_of
from models.readiness import pass_probability

ALL = "all"
NOT_SAID = "not said"
# An answer's study time is its latency, capped (a phone left open is not study) and assumed where the
# client did not send it.
LATENCY_CAP_MS, LATENCY_ASSUMED_MS = 300_000, 20_000
CURRENT_WINDOW_DAYS = 90  # "where learners stand now" counts those who studied within this window
READINESS_BINS = ("0-25", "25-50", "50-75", "75-100")
_DRAWS = np.random.default_rng(2026).standard_normal((200, 6))  # fixed: the same learner, the same figure


def _group_column(by: GroupBy) -> ColumnElement[str]:
    if by is GroupBy.LANGUAGE:
        return LearnerProfile.instruction_language
    return case((LearnerProfile.region == "", literal(NOT_SAID)), else_=LearnerProfile.region)


def month_starts(now: datetime, months: int) -> list[datetime]:
    """The first instants of the last ``months`` whole calendar months, plus the current one (UTC)."""
    year, month = now.year, now.month
    starts = []
    for _ in range(months + 1):
        starts.append(datetime(year, month, 1, tzinfo=UTC))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


async def impact_report(
    session: AsyncSession, by: GroupBy, months: int, now: datetime, cuts: tuple[float, ...]
) -> ImpactReport:
    """``cuts``: the CEFR cut points served now, as the learners' own progress screens use them."""
    starts = month_starts(now, months)[:-1]  # whole months only: the current one is still moving
    since, until = starts[0], month_starts(now, 0)[0]
    labels = [s.strftime("%Y-%m") for s in starts]
    activity = await _activity(session, by, since, until)
    gains = await _level_gains(session, by, since, until, cuts)
    monthly: list[MonthCell] = []
    for label in labels:
        learners = {g: n for (m, g), (n, _) in activity.items() if m == label}
        if not learners:
            continue
        total = learners.pop(ALL)
        shown = publish(learners)
        shown[ALL] = rounded(total) if total >= MIN_CELL else None
        learners[ALL] = total
        for group in sorted(learners, key=lambda g: (g == ALL, g)):
            minutes = activity[(label, group)][1]
            visible = shown[group] is not None
            monthly.append(
                MonthCell(
                    month=label,
                    group=group,
                    active_learners=shown[group],
                    study_minutes=rounded(minutes, 10 * ROUND_TO) if visible else None,
                    level_gains=rounded(gains.get((label, group), 0)) if visible else None,
                )
            )
    return ImpactReport(
        by=by,
        generated_at=now,
        months=labels,
        min_cell=MIN_CELL,
        monthly=monthly,
        current=await _current(session, by, now, cuts),
        notes=[
            f"cells of fewer than {MIN_CELL} learners are hidden (null), with one more cell where a lone "
            "hidden one could be worked out from the total",
            f"counts are rounded to multiples of {ROUND_TO}, study minutes to multiples of {10 * ROUND_TO}",
            "months are whole calendar months in UTC; answers of deleted accounts are not counted",
            f"'current' counts learners who answered in the last {CURRENT_WINDOW_DAYS} days",
        ],
    )


async def _activity(
    session: AsyncSession, by: GroupBy, since: datetime, until: datetime
) -> dict[tuple[str, str], tuple[int, float]]:
    """(month, group) → (active learners, study minutes), with the ALL row per month."""
    month = utc_month(Answer.answered_at, session.bind.dialect.name)
    latency = func.coalesce(Answer.latency_ms, LATENCY_ASSUMED_MS)
    capped = case((latency > LATENCY_CAP_MS, LATENCY_CAP_MS), else_=latency)
    base = (
        select(month.label("month"), func.count(distinct(Answer.learner_id)), func.sum(capped))
        .join(LearnerProfile, LearnerProfile.user_id == Answer.learner_id)
        .where(Answer.answered_at >= since, Answer.answered_at < until)
    )
    out: dict[tuple[str, str], tuple[int, float]] = {}
    group = _group_column(by)
    for m, n, ms, g in await session.execute(base.add_columns(group).group_by(month, group)):
        out[(m, g)] = (n, (ms or 0) / 60_000)
    for m, n, ms in await session.execute(base.group_by(month)):
        out[(m, ALL)] = (n, (ms or 0) / 60_000)
    return {key: value for key, value in out.items() if key[1] is not None}


async def _level_gains(
    session: AsyncSession, by: GroupBy, since: datetime, until: datetime, cuts: tuple[float, ...]
) -> dict[tuple[str, str], int]:
    """(month, group) → learners whose overall band (mean theta of the skills measured so far) was higher
    on their last snapshot day of the month than on their first."""
    rows = await session.execute(
        select(
            AbilitySnapshot.learner_id,
            AbilitySnapshot.day,
            AbilitySnapshot.skill,
            AbilitySnapshot.theta,
            _group_column(by),
        )
        .join(LearnerProfile, LearnerProfile.user_id == AbilitySnapshot.learner_id)
        .where(AbilitySnapshot.day >= since.date().isoformat())
        .where(AbilitySnapshot.day < until.date().isoformat())
        .order_by(AbilitySnapshot.learner_id, AbilitySnapshot.day)
    )
    first: dict[tuple[object, str], float] = {}
    last: dict[tuple[object, str], float] = {}
    groups: dict[object, str] = {}
    skills: dict[object, dict[str, float]] = defaultdict(dict)
    for learner, day, skill, theta, group in rows:
        skills[learner][skill] = theta
        overall = float(np.mean(list(skills[learner].values())))
        key = (learner, day[:7])
        first.setdefault(key, overall)
        last[key] = overall
        groups[learner] = group
    out: dict[tuple[str, str], int] = defaultdict(int)
    for key, start in first.items():
        if band_of(last[key], cuts) > band_of(start, cuts):
            learner, month = key
            out[(month, groups[learner])] += 1
            out[(month, ALL)] += 1
    return out


async def _current(
    session: AsyncSession, by: GroupBy, now: datetime, cuts: tuple[float, ...]
) -> list[CurrentCell]:
    recent = (
        select(Answer.learner_id)
        .where(Answer.answered_at >= now - timedelta(days=CURRENT_WINDOW_DAYS))
        .distinct()
        .scalar_subquery()
    )
    return _current_cells(await standing(session, recent, _group_column(by), cuts))


async def standing(
    session: AsyncSession, learner_ids: ColumnElement[Any], group: ColumnElement[str], cuts: tuple[float, ...]
) -> list[tuple[str, str, str]]:
    """(group, level band, readiness bin) for each of ``learner_ids`` (a subquery) with a measured skill."""
    rows = await session.execute(
        select(Ability, LearnerProfile.target_level, group)
        .join(LearnerProfile, LearnerProfile.user_id == Ability.learner_id)
        .where(Ability.learner_id.in_(learner_ids))
    )
    learners: dict[object, tuple[str, str, list[Ability]]] = {}
    for ability, target, name in rows:
        learners.setdefault(ability.learner_id, (target, name, []))[2].append(ability)
    return await anyio.to_thread.run_sync(_standing, list(learners.values()), np.asarray(cuts))


def _standing(learners: list[tuple[str, str, list[Ability]]], cuts: np.ndarray) -> list[tuple[str, str, str]]:
    """(group, level band, readiness bin) per learner with a measured skill; CPU work, off the loop."""
    out = []
    for target, group, abilities in learners:
        measured = [a.theta for a in abilities if a.n_answers > 0]
        if not measured:
            continue
        theta, se = current(abilities)
        level = LEVELS.index(target if target in EXAM_LEVELS else "B1")
        p = pass_probability(theta, se, level, cuts, _DRAWS)
        out.append((group, LEVELS[int(band_of(float(np.mean(measured)), cuts))], _bin(p)))
    return out


def _bin(p: float) -> str:
    return READINESS_BINS[min(int(p * 4), 3)]


def _current_cells(standing: list[tuple[str, str, str]]) -> list[CurrentCell]:
    by_group: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for group, level, readiness in standing:
        by_group[group].append((level, readiness))
        by_group[ALL].append((level, readiness))
    counts = {group: len(members) for group, members in by_group.items() if group != ALL}
    hidden = hidden_cells(counts) if counts else set()
    cells = []
    for group in sorted(by_group, key=lambda g: (g == ALL, g)):
        members = by_group[group]
        if group in hidden or (group == ALL and len(members) < MIN_CELL):
            cells.append(CurrentCell(group=group, learners=None, level_reached={}, readiness={}))
            continue
        levels = {lv: sum(1 for m in members if m[0] == lv) for lv in LEVELS}
        bins = {b: sum(1 for m in members if m[1] == b) for b in READINESS_BINS}
        cells.append(
            CurrentCell(
                group=group,
                learners=rounded(len(members)),
                level_reached=publish(levels),
                readiness=publish(bins),
            )
        )
    return cells
