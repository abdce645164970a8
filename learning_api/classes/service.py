"""Teachers' classes: join codes, exercise sets of published items, assignments with due dates, and a
report of each learner's recent work. A teacher sees only their own classes (admins see all)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

import anyio
import msgspec
import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.rendering import render_exercise
from learning_api.classes.report import class_assignments, done_counts
from learning_api.classes.schemas import (
    AssignmentOut,
    AssignmentPage,
    ClassAssignmentOut,
    ClassAssignmentPage,
    ClassOut,
    ClassPage,
    MemberOut,
    MemberPage,
)
from learning_api.db.tables import Assignment, ClassMember, ExerciseSet, SchoolClass, User
from learning_api.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from learning_api.pagination import PageQuery, bounded, page_of, scalars_page
from learning_api.storage import ObjectStore
from learning_api.study.published import published_exercises

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud in class
CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def create_class(session: AsyncSession, teacher_id: uuid.UUID, name: str) -> SchoolClass:
    row = SchoolClass(id=uuid.uuid4(), teacher_id=teacher_id, name=name.strip(), join_code=new_join_code())
    session.add(row)
    await session.flush()
    return row


async def owned_class(session: AsyncSession, user: User, class_id: uuid.UUID) -> SchoolClass:
    row = await session.get(SchoolClass, class_id)
    if row is None:
        raise NotFound("no such class", field="class_id")
    if row.teacher_id != user.id and user.role != "admin":
        raise PermissionDenied("this is another teacher's class", field="class_id")
    return row


async def member_counts(session: AsyncSession, class_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(ClassMember.class_id, func.count())
        .where(ClassMember.class_id.in_(class_ids))
        .group_by(ClassMember.class_id)
    )
    return dict(rows.all())  # type: ignore[arg-type]


async def classes_of(session: AsyncSession, user: User, page: PageQuery) -> ClassPage:
    """A teacher's own classes and the classes a user has joined."""
    joined = select(ClassMember.class_id).where(ClassMember.learner_id == user.id)
    rows, next_offset = await scalars_page(
        session,
        select(SchoolClass)
        .where((SchoolClass.teacher_id == user.id) | SchoolClass.id.in_(joined))
        .order_by(SchoolClass.created_at, SchoolClass.id),
        page,
    )
    counts = await member_counts(session, [r.id for r in rows])
    classes = [class_out(r, counts.get(r.id, 0), show_code=r.teacher_id == user.id) for r in rows]
    return ClassPage(classes, page.limit, page.offset, next_offset)


def class_out(row: SchoolClass, members: int, *, show_code: bool = True) -> ClassOut:
    return ClassOut(id=row.id, name=row.name, join_code=row.join_code if show_code else "",
                    teacher_id=row.teacher_id, members=members, created_at=row.created_at)  # fmt: skip


async def join(session: AsyncSession, learner_id: uuid.UUID, code: str, now: datetime) -> SchoolClass:
    row = await session.scalar(select(SchoolClass).where(SchoolClass.join_code == code.strip().upper()))
    if row is None:
        raise NotFound("no class has this join code", field="code")
    if await session.get(ClassMember, (learner_id, row.id)) is None:
        session.add(ClassMember(learner_id=learner_id, class_id=row.id, joined_at=now))
        await session.flush()
    return row


def _members_query(row: SchoolClass) -> Select[Any]:
    return (
        select(User, ClassMember.joined_at)
        .join(ClassMember, ClassMember.learner_id == User.id)
        .where(ClassMember.class_id == row.id)
        .order_by(User.email)
    )


async def members(session: AsyncSession, row: SchoolClass) -> list[MemberOut]:
    """Every member, for the report; the API pages them (``member_page``)."""
    result = await session.execute(_members_query(row))
    return [MemberOut(u.id, u.email, u.display_name, joined_at) for u, joined_at in result.all()]


async def member_page(session: AsyncSession, row: SchoolClass, page: PageQuery) -> MemberPage:
    rows, next_offset = page_of((await session.execute(bounded(_members_query(row), page))).all(), page)
    out = [MemberOut(u.id, u.email, u.display_name, joined_at) for u, joined_at in rows]
    return MemberPage(out, page.limit, page.offset, next_offset)


async def _published_items(session: AsyncSession, store: ObjectStore, item_ids: list[str]) -> list[str]:
    """The ids without repeats, in order; every one must be a published exercise."""
    wanted = list(dict.fromkeys(i.strip() for i in item_ids))
    live = await published_exercises(session, store, wanted)
    if missing := [i for i in wanted if i not in live]:
        raise InvalidInput(f"not published exercises: {', '.join(missing[:20])}", field="item_ids")
    return wanted


async def create_set(
    session: AsyncSession, store: ObjectStore, teacher_id: uuid.UUID, title: str, item_ids: list[str]
) -> ExerciseSet:
    wanted = await _published_items(session, store, item_ids)
    row = ExerciseSet(id=uuid.uuid4(), teacher_id=teacher_id, title=title.strip(), item_ids=wanted)
    session.add(row)
    await session.flush()
    return row


async def assign(
    session: AsyncSession, user: User, row: SchoolClass, set_id: uuid.UUID, due_at: datetime, now: datetime
) -> Assignment:
    exercise_set = await session.get(ExerciseSet, set_id)
    if exercise_set is None or (exercise_set.teacher_id != user.id and user.role != "admin"):
        raise NotFound("no such exercise set of yours", field="set_id")
    _check_due(due_at, now)
    assignment = Assignment(id=uuid.uuid4(), class_id=row.id, set_id=set_id, due_at=due_at, created_at=now)
    session.add(assignment)
    await session.flush()
    return assignment


def _assignments_query(learner_id: uuid.UUID) -> Select[Any]:
    return (
        select(Assignment, ExerciseSet, SchoolClass)
        .join(ExerciseSet, ExerciseSet.id == Assignment.set_id)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(ClassMember, ClassMember.class_id == SchoolClass.id)
        .where(ClassMember.learner_id == learner_id)
        .order_by(Assignment.due_at, Assignment.id)
    )


async def assignment_page(
    session: AsyncSession, learner_id: uuid.UUID, now: datetime, page: PageQuery
) -> AssignmentPage:
    rows, next_offset = page_of(
        (await session.execute(bounded(_assignments_query(learner_id), page))).all(), page
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


async def assignment_items(
    session: AsyncSession, learner_id: uuid.UUID, assignment_id: uuid.UUID
) -> list[str]:
    row = await session.scalar(
        select(ExerciseSet.item_ids)
        .join(Assignment, Assignment.set_id == ExerciseSet.id)
        .join(ClassMember, ClassMember.class_id == Assignment.class_id)
        .where(Assignment.id == assignment_id, ClassMember.learner_id == learner_id)
    )
    if row is None:
        raise NotFound("no such assignment for you", field="assignment_id")
    return list(row)


async def assignment_detail(
    session: AsyncSession,
    store: ObjectStore,
    learner_id: uuid.UUID,
    assignment_id: uuid.UUID,
    lang: str,
    now: datetime,
    ttl: timedelta,
) -> AssignmentOut:
    item_ids = await assignment_items(session, learner_id, assignment_id)
    query = _assignments_query(learner_id).where(Assignment.id == assignment_id)
    (summary,) = await _assignments_out(session, learner_id, list((await session.execute(query)).all()), now)
    live = await published_exercises(session, store, item_ids)
    rng = np.random.default_rng(assignment_id.int % 2**63)
    exercises = await anyio.to_thread.run_sync(
        lambda: [render_exercise(live[i].exercise, lang, store, rng, ttl) for i in item_ids if i in live]
    )
    return msgspec.structs.replace(summary, exercises=exercises)


async def sets_of(
    session: AsyncSession, teacher_id: uuid.UUID, page: PageQuery
) -> tuple[list[ExerciseSet], int | None]:
    query = select(ExerciseSet).where(ExerciseSet.teacher_id == teacher_id)
    return await scalars_page(session, query.order_by(ExerciseSet.created_at, ExerciseSet.id), page)


async def owned_set(session: AsyncSession, user: User, set_id: uuid.UUID) -> ExerciseSet:
    row = await session.get(ExerciseSet, set_id)
    if row is None or (row.teacher_id != user.id and user.role != "admin"):
        raise NotFound("no such exercise set of yours", field="set_id")
    return row


async def update_set(
    session: AsyncSession, store: ObjectStore, row: ExerciseSet, title: str | None, item_ids: list[str] | None
) -> ExerciseSet:
    if title is not None:
        row.title = title.strip()
    if item_ids is not None:
        row.item_ids = await _published_items(session, store, item_ids)
    await session.flush()
    return row


async def delete_set(session: AsyncSession, row: ExerciseSet) -> None:
    """A set still assigned to a class is kept: deleting it would silently take learners' work away."""
    assigned = await session.scalar(select(func.count()).where(Assignment.set_id == row.id))
    if assigned:
        raise Conflict(
            f"the set is assigned {assigned} time(s): delete those assignments first", field="set_id"
        )
    await session.delete(row)
    await session.flush()


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
    out = [
        ClassAssignmentOut(
            id=a.id,
            set_id=s.id,
            title=s.title,
            items=len(s.item_ids),
            created_at=a.created_at,
            due_at=a.due_at,
            learners_done=sum(done.get((learner, a.id), 0) >= len(s.item_ids) for learner in learners),
            learners_total=len(learners),
        )
        for a, s in assignments
    ]
    return ClassAssignmentPage(out, page.limit, page.offset, next_offset)


async def remove_member(session: AsyncSession, row: SchoolClass, learner_id: uuid.UUID) -> None:
    member = await session.get(ClassMember, (learner_id, row.id))
    if member is None:
        raise NotFound("this learner is not in the class", field="learner_id")
    await session.delete(member)
    await session.flush()
