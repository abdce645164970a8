"""Assignments: a set given to a class (or to named learners of it) with a due date and an optional start;
what each learner sees of them, and how far the class has got."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import anyio
import msgspec
import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.rendering import render_exercise
from learning_api.classes.report import class_assignments, done_counts, given_to, is_for, targets, visible
from learning_api.classes.schemas import (
    AssignmentIn,
    AssignmentOut,
    AssignmentPage,
    ClassAssignmentOut,
    ClassAssignmentPage,
)
from learning_api.db.tables import Assignment, AssignmentLearner, ClassMember, ExerciseSet, SchoolClass, User
from learning_api.errors import InvalidInput, NotFound
from learning_api.pagination import PageQuery, bounded, page_of
from learning_api.storage import ObjectStore
from learning_api.study.published import published_exercises


async def assign(
    session: AsyncSession, user: User, row: SchoolClass, data: AssignmentIn, now: datetime
) -> Assignment:
    exercise_set = await session.get(ExerciseSet, data.set_id)
    if exercise_set is None or (exercise_set.teacher_id != user.id and user.role != "admin"):
        raise NotFound("no such exercise set of yours", field="set_id")
    _check_due(data.due_at, now)
    if data.starts_at is not None and data.starts_at >= data.due_at:
        raise InvalidInput("the start must come before the due date", field="starts_at")
    named = list(dict.fromkeys(data.learner_ids))
    if named:
        members = set(
            await session.scalars(
                select(ClassMember.learner_id).where(
                    ClassMember.class_id == row.id, ClassMember.learner_id.in_(named)
                )
            )
        )
        if strangers := [str(i) for i in named if i not in members]:
            raise InvalidInput(
                f"not learners of this class: {', '.join(strangers[:10])}", field="learner_ids"
            )
    assignment = Assignment(id=uuid.uuid4(), class_id=row.id, set_id=data.set_id, due_at=data.due_at,
                            created_at=now, starts_at=data.starts_at)  # fmt: skip
    session.add(assignment)
    await session.flush()
    session.add_all(AssignmentLearner(learner_id=i, assignment_id=assignment.id) for i in named)
    await session.flush()
    return assignment


def _assignments_query(learner_id: uuid.UUID, now: datetime) -> Select[Any]:
    """A learner's assignments: their classes', for them (whole class or named), already started."""
    return (
        select(Assignment, ExerciseSet, SchoolClass)
        .join(ExerciseSet, ExerciseSet.id == Assignment.set_id)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(ClassMember, ClassMember.class_id == SchoolClass.id)
        .where(ClassMember.learner_id == learner_id, given_to(learner_id), visible(now))
        .order_by(Assignment.due_at, Assignment.id)
    )


async def assignment_page(
    session: AsyncSession, learner_id: uuid.UUID, now: datetime, page: PageQuery
) -> AssignmentPage:
    rows, next_offset = page_of(
        (await session.execute(bounded(_assignments_query(learner_id, now), page))).all(), page
    )
    return AssignmentPage(
        await _assignments_out(session, learner_id, rows, now), page.limit, page.offset, next_offset
    )


async def _assignments_out(
    session: AsyncSession, learner_id: uuid.UUID, rows: list[Any], now: datetime
) -> list[AssignmentOut]:
    done_by = await done_counts(session, [learner_id], [(a, s) for a, s, _ in rows])
    out = []
    for assignment, exercise_set, school_class in rows:
        done = done_by.get((learner_id, assignment.id), 0)
        total = len(exercise_set.item_ids)
        status = "done" if done >= total else ("overdue" if assignment.due_at < now else "open")
        out.append(AssignmentOut(assignment.id, school_class.id, school_class.name, exercise_set.title,
                                 assignment.due_at, total, done, status))  # type: ignore[arg-type]  # fmt: skip
    return out


async def assignment_detail(
    session: AsyncSession,
    store: ObjectStore,
    learner_id: uuid.UUID,
    assignment_id: uuid.UUID,
    lang: str,
    now: datetime,
    ttl: timedelta,
) -> AssignmentOut:
    query = _assignments_query(learner_id, now).where(Assignment.id == assignment_id)
    rows = list((await session.execute(query)).all())
    if not rows:
        raise NotFound("no such assignment for you", field="assignment_id")
    item_ids = list(rows[0][1].item_ids)
    (summary,) = await _assignments_out(session, learner_id, rows, now)
    live = await published_exercises(session, store, item_ids)
    rng = np.random.default_rng(assignment_id.int % 2**63)
    exercises = await anyio.to_thread.run_sync(
        lambda: [render_exercise(live[i].exercise, lang, store, rng, ttl) for i in item_ids if i in live]
    )
    return msgspec.structs.replace(summary, exercises=exercises)


async def _class_assignment(session: AsyncSession, row: SchoolClass, assignment_id: uuid.UUID) -> Assignment:
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None or assignment.class_id != row.id:
        raise NotFound("no such assignment in this class", field="assignment_id")
    return assignment


def _check_due(due_at: datetime, now: datetime) -> None:
    if due_at <= now:
        raise InvalidInput("the due date must lie in the future", field="due_at")


async def reschedule(
    session: AsyncSession, row: SchoolClass, assignment_id: uuid.UUID, due_at: datetime, now: datetime
) -> Assignment:
    assignment = await _class_assignment(session, row, assignment_id)
    _check_due(due_at, now)
    assignment.due_at = due_at
    await session.flush()
    return assignment


async def delete_assignment(session: AsyncSession, row: SchoolClass, assignment_id: uuid.UUID) -> None:
    await session.delete(await _class_assignment(session, row, assignment_id))
    await session.flush()


async def assignments_progress(
    session: AsyncSession, row: SchoolClass, page: PageQuery
) -> ClassAssignmentPage:
    assignments, next_offset = page_of(await class_assignments(session, row.id, page), page)
    learners = list(
        await session.scalars(select(ClassMember.learner_id).where(ClassMember.class_id == row.id))
    )
    done = await done_counts(session, learners, assignments)
    named = await targets(session, [a.id for a, _ in assignments])
    out = []
    for a, s in assignments:
        given = [learner for learner in learners if is_for(named, a.id, learner)]
        out.append(
            ClassAssignmentOut(
                id=a.id,
                set_id=s.id,
                title=s.title,
                items=len(s.item_ids),
                created_at=a.created_at,
                due_at=a.due_at,
                learners_done=sum(done.get((learner, a.id), 0) >= len(s.item_ids) for learner in given),
                learners_total=len(given),
                starts_at=a.starts_at,
                learner_ids=sorted(named.get(a.id, ())),
            )
        )
    return ClassAssignmentPage(out, page.limit, page.offset, next_offset)
