"""Classes API contract: classes with join codes, exercise sets, assignments, the teacher's report."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from learning_api.catalog.schemas import ShownExercise
from learning_api.pagination import Page


class ClassIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class ClassOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    join_code: str
    teacher_id: uuid.UUID
    members: int
    created_at: datetime


class ClassPage(Page[ClassOut]):
    pass


class JoinIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=4, max_length=12)]


class MemberOut(msgspec.Struct):
    learner_id: uuid.UUID
    email: str
    display_name: str
    joined_at: datetime


class MemberPage(Page[MemberOut]):
    pass


class ExerciseSetIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    item_ids: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(min_length=1, max_length=200)
    ]


class ExerciseSetPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Change a set's title or its exercises; assignments of it follow the new list."""

    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    item_ids: (
        Annotated[
            list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(min_length=1, max_length=200)
        ]
        | None
    ) = None


class ExerciseSetOut(msgspec.Struct):
    id: uuid.UUID
    title: str
    item_ids: list[str]
    created_at: datetime


class ExerciseSetPage(Page[ExerciseSetOut]):
    pass


class AssignmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """``learner_ids`` names learners of the class (empty: the whole class); before ``starts_at`` the
    learners do not see it yet."""

    set_id: uuid.UUID
    due_at: Annotated[datetime, msgspec.Meta(tz=True)]
    starts_at: Annotated[datetime, msgspec.Meta(tz=True)] | None = None
    learner_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=500)] = msgspec.field(
        default_factory=list
    )


class AssignmentPatch(msgspec.Struct, forbid_unknown_fields=True):
    due_at: Annotated[datetime, msgspec.Meta(tz=True)]


class ClassAssignmentOut(msgspec.Struct):
    """An assignment as its teacher sees it: how many of the class's learners have done it."""

    id: uuid.UUID
    set_id: uuid.UUID
    title: str
    items: int
    created_at: datetime
    due_at: datetime
    learners_done: int
    learners_total: int  # the class, or the learners it names
    starts_at: datetime | None = None
    learner_ids: list[uuid.UUID] = msgspec.field(default_factory=list)  # empty: the whole class


class ClassAssignmentPage(Page[ClassAssignmentOut]):
    pass


class AssignmentOut(msgspec.Struct):
    id: uuid.UUID
    class_id: uuid.UUID
    class_name: str
    title: str
    due_at: datetime
    items: int
    done: int
    status: Literal["open", "done", "overdue"]
    exercises: list[ShownExercise] | None = None  # rendered for the learner when asked for one


class AssignmentPage(Page[AssignmentOut]):
    pass


class ReportRow(msgspec.Struct):
    learner_id: uuid.UUID
    email: str
    display_name: str
    answers: int  # within the report's period
    correct_share: float | None
    assignments_done: int
    assignments_total: int
    last_answer_at: datetime | None


class ClassReport(msgspec.Struct):
    class_id: uuid.UUID
    name: str
    generated_at: datetime
    since: datetime
    until: datetime
    learners: list[ReportRow]
