"""Catalog rules: only published lesson versions are visible; exercises go out rendered (no answers)
in the learner's instruction language, with presigned media URLs."""

from __future__ import annotations

import hashlib
import uuid
from functools import partial

import anyio
import numpy as np
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import LANGUAGES, Exercise, LessonDocument
from learning_api.catalog.library import load_lesson
from learning_api.catalog.media import media_link
from learning_api.catalog.rendering import render_exercise
from learning_api.catalog.schemas import (
    CourseOut,
    CoursePage,
    ItemOut,
    LessonDetail,
    LessonOut,
    LessonPage,
    ShownExercise,
    VocabularyOut,
)
from learning_api.db.tables import Course, Item, LearnerProfile, Lesson
from learning_api.errors import InvalidInput, NotFound
from learning_api.pagination import PageQuery, bounded, page_of, scalars_page
from learning_api.storage import ObjectStore


async def learner_language(session: AsyncSession, user_id: uuid.UUID, asked: str | None) -> str:
    """The language asked for, else the learner's instruction language, else English."""
    if asked is not None:
        if asked not in LANGUAGES:
            languages = ", ".join(LANGUAGES)
            raise InvalidInput("lang must be one of {languages}", field="lang", languages=languages)
        return asked
    profile = await session.get(LearnerProfile, user_id)
    return profile.instruction_language if profile and profile.instruction_language in LANGUAGES else "en"


async def list_courses(session: AsyncSession, page: PageQuery) -> CoursePage:
    published = func.count(Lesson.id).filter(Lesson.published_version.is_not(None))
    stmt = (
        select(Course, published)
        .outerjoin(Lesson, Lesson.course_id == Course.id)
        .group_by(Course.id)
        .order_by(Course.id)
    )
    rows, next_offset = page_of((await session.execute(bounded(stmt, page))).all(), page)
    courses = [CourseOut(id=course.id, title=course.title, lessons=count) for course, count in rows]
    return CoursePage(courses, page.limit, page.offset, next_offset)


async def list_lessons(session: AsyncSession, course_id: str, page: PageQuery) -> LessonPage:
    if await session.get(Course, course_id) is None:
        raise NotFound("no course '{course}'", course=course_id)
    lessons, next_offset = await scalars_page(
        session,
        select(Lesson)
        .where(Lesson.course_id == course_id, Lesson.published_version.is_not(None))
        .order_by(Lesson.position, Lesson.id),
        page,
    )
    items = [
        LessonOut(
            id=lesson.id,
            course=lesson.course_id,
            level=lesson.level,
            topic=lesson.topic,
            position=lesson.position,
            title=lesson.title,
            version=lesson.published_version or 0,
        )
        for lesson in lessons
    ]
    return LessonPage(items, page.limit, page.offset, next_offset)


async def _published(
    session: AsyncSession, store: ObjectStore, lesson_id: str, version: int | None = None
) -> LessonDocument:
    """The published version (or ``version``, which must be the published one: drafts stay hidden)."""
    lesson = await session.get(Lesson, lesson_id)
    if lesson is None or lesson.published_version is None:
        raise NotFound("no published lesson '{lesson}'", lesson=lesson_id)
    if version is not None and version != lesson.published_version:
        raise NotFound(
            f"version {version} of '{lesson_id}' is not published (version {lesson.published_version} is)",
            field="version",
        )
    return await anyio.to_thread.run_sync(load_lesson, store, lesson_id, lesson.published_version)


def _rng(user_id: uuid.UUID, lesson_id: str) -> np.random.Generator:
    """The same learner sees the same shuffle of a lesson on every device."""
    seed = hashlib.sha256(f"{user_id}:{lesson_id}".encode()).digest()
    return np.random.default_rng(int.from_bytes(seed[:8], "big"))


def _lesson_detail(
    document: LessonDocument, lang: str, store: ObjectStore, rng: np.random.Generator, media_base_url: str
) -> LessonDetail:
    native = lang if lang != "et" else "en"
    return LessonDetail(
        id=document.id,
        course=document.course,
        level=document.level,
        topic=document.topic,
        position=document.order,
        version=document.version,
        language=lang,
        title=document.title.get(lang, document.title["et"]),
        instructions=document.instructions.get(lang, document.instructions["et"]),
        grammar=document.grammar,
        vocabulary=[
            VocabularyOut(entry.lemma, entry.pos, entry.translations.get(native, ""), entry.example)
            for entry in document.vocabulary
        ],
        exercises=[_render(e, lang, store, rng, media_base_url) for e in document.exercises],
    )


def _render(
    exercise: Exercise, lang: str, store: ObjectStore, rng: np.random.Generator, media_base_url: str
) -> ShownExercise:
    """Catalog documents are cached by the app, so their media are stable links, not expiring URLs."""
    return render_exercise(exercise, lang, store, rng, media_url=partial(media_link, base_url=media_base_url))


async def lesson_detail(
    session: AsyncSession,
    store: ObjectStore,
    lesson_id: str,
    *,
    lang: str,
    user_id: uuid.UUID,
    media_base_url: str,
    version: int | None = None,
) -> LessonDetail:
    """The same learner, language and version always give the same document (so it can be cached)."""
    document = await _published(session, store, lesson_id, version)
    return await anyio.to_thread.run_sync(
        _lesson_detail, document, lang, store, _rng(user_id, lesson_id), media_base_url
    )


async def item_detail(
    session: AsyncSession,
    store: ObjectStore,
    item_id: str,
    *,
    lang: str,
    user_id: uuid.UUID,
    media_base_url: str,
) -> ItemOut:
    item = await session.get(Item, item_id)
    if item is None or item.removed_in_version is not None:
        raise NotFound("no item '{item}'", item=item_id)
    document = await _published(session, store, item.lesson_id)
    exercise = next((e for e in document.exercises if e.id == item_id), None)
    if exercise is None:
        raise NotFound("no item '{item}' in the published lesson", item=item_id)
    rendered = await anyio.to_thread.run_sync(
        _render, exercise, lang, store, _rng(user_id, item.lesson_id), media_base_url
    )
    return ItemOut(
        id=item.id,
        lesson_id=item.lesson_id,
        lesson_version=document.version,
        type=item.type,
        level=item.level,
        skill=item.skill,
        topic=item.topic,
        lemmas=item.lemmas,
        grammar=item.grammar,
        exercise=rendered,
    )
