"""All tables, imported together so ``Base.metadata`` is complete for Alembic and the app."""

from learning_api.db.tables.accounts import AuthSession, AuthToken, LearnerProfile, LoginLimit, User
from learning_api.db.tables.catalog import Course, Item, Lesson, LessonVersion
from learning_api.db.tables.classes import (
    Assignment,
    AssignmentLearner,
    ClassMember,
    ExerciseSet,
    SchoolClass,
)
from learning_api.db.tables.counselling import CounsellorAccess, CounsellorShare
from learning_api.db.tables.exams import MockExam, MockExamAnswer, MockExamPart
from learning_api.db.tables.modelling import LearnerModelParams, ModelKind, ModelParams, VersionStatus
from learning_api.db.tables.study import (
    Ability,
    AbilitySnapshot,
    Answer,
    ItemFeedback,
    PlacementTest,
    ReviewState,
    StudyDay,
)
from learning_api.db.tables.submissions import Submission

__all__ = [
    "Ability",
    "AbilitySnapshot",
    "Answer",
    "Assignment",
    "AssignmentLearner",
    "AuthSession",
    "AuthToken",
    "ClassMember",
    "CounsellorAccess",
    "CounsellorShare",
    "Course",
    "ExerciseSet",
    "Item",
    "ItemFeedback",
    "LearnerModelParams",
    "LearnerProfile",
    "Lesson",
    "LessonVersion",
    "LoginLimit",
    "MockExam",
    "MockExamAnswer",
    "MockExamPart",
    "ModelKind",
    "ModelParams",
    "PlacementTest",
    "ReviewState",
    "SchoolClass",
    "StudyDay",
    "Submission",
    "User",
    "VersionStatus",
]
