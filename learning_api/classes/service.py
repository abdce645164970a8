"""Teachers' classes: join codes, exercise sets of published items, assignments with due dates, and a
report of each learner's recent work. A teacher sees only their own classes (admins see all)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.classes.schemas import (
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
        items = ", ".join(missing[:20])
        raise InvalidInput("not published exercises: {items}", field="item_ids", items=items)
    return wanted


async def create_set(
    session: AsyncSession, store: ObjectStore, teacher_id: uuid.UUID, title: str, item_ids: list[str]
) -> ExerciseSet:
    wanted = await _published_items(session, store, item_ids)
    row = ExerciseSet(id=uuid.uuid4(), teacher_id=teacher_id, title=title.strip(), item_ids=wanted)
    session.add(row)
    await session.flush()
    return row


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


async def remove_member(session: AsyncSession, row: SchoolClass, learner_id: uuid.UUID) -> None:
    member = await session.get(ClassMember, (learner_id, row.id))
    if member is None:
        raise NotFound("this learner is not in the class", field="learner_id")
    await session.delete(member)
    await session.flush()
