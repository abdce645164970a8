"""The teacher's class report and assignment progress, in grouped queries: a fixed number of queries per
report whatever the size of the class (one for activity, one for the last answer, one for assignment work).

Assignment work counts an answer given after the assignment was set. The phone's clock may run a little
behind the server's, so an answer the server received after the assignment was set counts when its
client time lies at most ``ASSIGNMENT_CLOCK_SKEW`` before it; older offline work uploaded later does not."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from learning_api.classes.schemas import ReportRow
from learning_api.db.activity import answer_counts, last_answer_times
from learning_api.db.tables import (
    Answer,
    Assignment,
    AssignmentLearner,
    ClassMember,
    ExerciseSet,
    SchoolClass,
    User,
)
from learning_api.pagination import PageQuery, bounded

ASSIGNMENT_CLOCK_SKEW = timedelta(minutes=5)


def given_to(learner_id: uuid.UUID | ColumnElement[uuid.UUID]) -> ColumnElement[bool]:
    """SQL: the assignment is for this learner: for the whole class (no named learners) or naming them."""
    named = select(AssignmentLearner.assignment_id).where(AssignmentLearner.assignment_id == Assignment.id)
    return or_(~named.exists(), named.where(AssignmentLearner.learner_id == learner_id).exists())


def visible(now: datetime) -> ColumnElement[bool]:
    """SQL: the assignment has started (learners do not see one set to start later)."""
    return or_(Assignment.starts_at.is_(None), Assignment.starts_at <= now)


async def targets(session: AsyncSession, assignment_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """assignment → its named learners (assignments for the whole class are absent)."""
    out: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    rows = await session.execute(
        select(AssignmentLearner.assignment_id, AssignmentLearner.learner_id).where(
            AssignmentLearner.assignment_id.in_(assignment_ids)
        )
    )
    for assignment, learner in rows:
        out[assignment].add(learner)
    return out


def is_for(named: dict[uuid.UUID, set[uuid.UUID]], assignment_id: uuid.UUID, learner_id: uuid.UUID) -> bool:
    return assignment_id not in named or learner_id in named[assignment_id]


async def done_counts(
    session: AsyncSession, learner_ids: list[uuid.UUID], assignments: list[tuple[Assignment, ExerciseSet]]
) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """(learner, assignment) → items of its set the learner worked on after it was set, right or wrong."""
    if not learner_ids or not assignments:
        return {}
    items = {i for _, s in assignments for i in s.item_ids}
    earliest = min(a.created_at for a, _ in assignments)
    rows = await session.execute(
        select(Answer.learner_id, Answer.item_id, func.max(Answer.answered_at), func.max(Answer.received_at))
        .where(
            Answer.learner_id.in_(learner_ids),
            Answer.item_id.in_(items),
            Answer.received_at >= earliest,
        )
        .group_by(Answer.learner_id, Answer.item_id)
    )
    latest: dict[uuid.UUID, dict[str, tuple[datetime, datetime]]] = defaultdict(dict)
    for learner, item, answered, received in rows:
        latest[learner][item] = (answered, received)
    out: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for learner, worked in latest.items():
        for assignment, exercise_set in assignments:
            set_at = assignment.created_at
            out[(learner, assignment.id)] = sum(
                1
                for item in exercise_set.item_ids
                if item in worked
                and worked[item][1] >= set_at
                and worked[item][0] >= set_at - ASSIGNMENT_CLOCK_SKEW
            )
    return out


async def class_assignments(
    session: AsyncSession, class_id: uuid.UUID, page: PageQuery | None = None
) -> list[tuple[Assignment, ExerciseSet]]:
    """All of the class's assignments (the report), or one page plus one row (see pagination.page_of)."""
    query = (
        select(Assignment, ExerciseSet)
        .join(ExerciseSet, ExerciseSet.id == Assignment.set_id)
        .where(Assignment.class_id == class_id)
        .order_by(Assignment.due_at, Assignment.id)
    )
    rows = await session.execute(bounded(query, page) if page else query)
    return [(a, s) for a, s in rows]


async def report(
    session: AsyncSession, row: SchoolClass, since: datetime, until: datetime
) -> list[ReportRow]:
    """Each member's answers and correct share within [since, until), last answer, assignments done."""
    members = (
        await session.execute(
            select(User.id, User.email, User.display_name)
            .join(ClassMember, ClassMember.learner_id == User.id)
            .where(ClassMember.class_id == row.id)
            .order_by(User.email)
        )
    ).all()
    ids = [m[0] for m in members]
    if not ids:
        return []
    activity = await answer_counts(session, ids, since, until)
    last = await last_answer_times(session, ids)
    assignments = await class_assignments(session, row.id)
    done = await done_counts(session, ids, assignments)
    named = await targets(session, [a.id for a, _ in assignments])
    out = []
    for learner, email, name in members:
        count, right = activity.get(learner, (0, 0))
        mine = [(a, s) for a, s in assignments if is_for(named, a.id, learner)]
        finished = sum(done.get((learner, a.id), 0) >= len(s.item_ids) for a, s in mine)
        share = round(int(right or 0) / count, 3) if count else None
        out.append(ReportRow(learner, email, name, count, share, finished, len(mine), last.get(learner)))
    return out
