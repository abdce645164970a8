"""The /catalog API contract: courses, published lessons with rendered exercises, items."""

from __future__ import annotations

from typing import Any

import msgspec

from learning_api.pagination import Page


class CourseOut(msgspec.Struct):
    id: str
    title: dict[str, str]
    lessons: int  # published ones


class LessonOut(msgspec.Struct):
    id: str
    course: str
    level: str
    topic: str
    position: int
    title: dict[str, str]
    version: int


class CoursePage(Page[CourseOut]):
    pass


class LessonPage(Page[LessonOut]):
    pass


class VocabularyOut(msgspec.Struct):
    lemma: str
    pos: str
    meaning: str  # in the learner's language
    example: str


class LessonDetail(msgspec.Struct):
    id: str
    course: str
    level: str
    topic: str
    position: int
    version: int
    language: str  # of title, instructions, meanings and tasks below
    title: str
    instructions: str
    grammar: list[str]
    vocabulary: list[VocabularyOut]
    exercises: list[dict[str, Any]]  # as catalog.rendering.render_exercise shows them


class ItemOut(msgspec.Struct):
    id: str
    lesson_id: str
    lesson_version: int
    type: str
    level: str
    skill: str
    topic: str
    lemmas: list[str]
    grammar: list[str]
    exercise: dict[str, Any]
