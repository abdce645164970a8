"""Teachers' classes: join codes, exercise sets of published items, assignments with due dates, and a
report of each learner's recent work. A teacher sees only their own classes (admins see all)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import anyio
import msgspec
import numpy as np
from sqlalchemy import Integer, Row, Select, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.rendering import render_exercise
from learning_api.classes.schemas import (
    AssignmentOut,
    AssignmentPage,
    ClassOut,
    ClassPage,
    MemberOut,
    MemberPage,
    ReportRow,
)
from learning_api.db.tables import Answer, Assignment, ClassMember, ExerciseSet, SchoolClass, User
from learning_api.errors import InvalidInput, NotFound, PermissionDenied
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


async def create_set(
    session: AsyncSession, store: ObjectStore, teacher_id: uuid.UUID, title: str, item_ids: list[str]
) -> ExerciseSet:
    wanted = list(dict.fromkeys(i.strip() for i in item_ids))
    live = await published_exercises(session, store, wanted)
    if missing := [i for i in wanted if i not in live]:
        raise InvalidInput(f"not published exercises: {', '.join(missing[:20])}", field="item_ids")
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
    if due_at <= now:
        raise InvalidInput("the due date must lie in the future", field="due_at")
    assignment = Assignment(id=uuid.uuid4(), class_id=row.id, set_id=set_id, due_at=due_at, created_at=now)
    session.add(assignment)
    await session.flush()
    return assignment


async def _done_items(
    session: AsyncSession, learner_id: uuid.UUID, item_ids: list[str], since: datetime
) -> int:
    """Items of a set the learner answered after it was assigned (right or wrong: the work was done)."""
    return int(
        await session.scalar(
            select(func.count(func.distinct(Answer.item_id))).where(
                Answer.learner_id == learner_id, Answer.item_id.in_(item_ids), Answer.answered_at >= since
            )
        )
        or 0
    )


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
    query = bounded(_assignments_query(learner_id), page)
    rows, next_offset = page_of((await session.execute(query)).all(), page)
    out = await _assignments_out(session, learner_id, rows, now)
    return AssignmentPage(out, page.limit, page.offset, next_offset)


async def _assignments_out(
    session: AsyncSession, learner_id: uuid.UUID, rows: Sequence[Row[Any]], now: datetime
) -> list[AssignmentOut]:
    out = []
    for assignment, exercise_set, school_class in rows:
        done = await _done_items(session, learner_id, exercise_set.item_ids, assignment.created_at)
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


async def report(session: AsyncSession, row: SchoolClass, now: datetime) -> list[ReportRow]:
    week_ago = now - timedelta(days=7)
    assignments = (
        await session.execute(
            select(Assignment, ExerciseSet).join(ExerciseSet, ExerciseSet.id == Assignment.set_id)
            .where(Assignment.class_id == row.id)
        )
    ).all()  # fmt: skip
    out = []
    for member in await members(session, row):
        stats = (
            await session.execute(
                select(func.count(), func.sum(cast(Answer.correct, Integer)))
                .where(Answer.learner_id == member.learner_id, Answer.answered_at >= week_ago)
            )
        ).one()  # fmt: skip
        last = await session.scalar(
            select(func.max(Answer.answered_at)).where(Answer.learner_id == member.learner_id)
        )
        done = 0
        for assignment, exercise_set in assignments:
            items = exercise_set.item_ids
            done += await _done_items(session, member.learner_id, items, assignment.created_at) >= len(items)
        count = int(stats[0] or 0)
        out.append(ReportRow(member.learner_id, member.email, member.display_name, count,
                             round(int(stats[1] or 0) / count, 3) if count else None, done, len(assignments),
                             last))  # fmt: skip
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
    item_ids = await assignment_items(session, learner_id, assignment_id)
    query = _assignments_query(learner_id).where(Assignment.id == assignment_id)
    (summary,) = await _assignments_out(session, learner_id, (await session.execute(query)).all(), now)
    live = await published_exercises(session, store, item_ids)
    rng = np.random.default_rng(assignment_id.int % 2**63)
    exercises = await anyio.to_thread.run_sync(
        lambda: [render_exercise(live[i].exercise, lang, store, rng, ttl) for i in item_ids if i in live]
    )
    return msgspec.structs.replace(summary, exercises=exercises)
