"""All tables, imported together so ``Base.metadata`` is complete for Alembic and the app."""

from learning_api.db.tables.accounts import AuthSession, AuthToken, LearnerProfile, LoginLimit, User
from learning_api.db.tables.catalog import Course, Item, Lesson, LessonVersion
from learning_api.db.tables.classes import Assignment, ClassMember, ExerciseSet, SchoolClass
from learning_api.db.tables.study import (
    Ability,
    AbilitySnapshot,
    Answer,
    ItemFeedback,
    ModelParams,
    PlacementTest,
    ReviewState,
)

__all__ = [
    "Ability",
    "AbilitySnapshot",
    "Answer",
    "Assignment",
    "AuthSession",
    "AuthToken",
    "ClassMember",
    "Course",
    "ExerciseSet",
    "Item",
    "ItemFeedback",
    "LearnerProfile",
    "Lesson",
    "LessonVersion",
    "LoginLimit",
    "ModelParams",
    "PlacementTest",
    "ReviewState",
    "SchoolClass",
    "User",
]
