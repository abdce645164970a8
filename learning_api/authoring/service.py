"""Authoring rules for the API: a lesson text is validated as the CLI validates files (ids checked
against everything published), compiled and uploaded in the request's transaction."""

from __future__ import annotations

import base64
import binascii

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.authoring.compile import CompiledLesson, compile_lesson, course_vocabulary
from learning_api.authoring.publishing import UploadOutcome, published_exercises, upload_lesson
from learning_api.authoring.schemas import AuthoredLesson, AuthoredLessonPage, LessonText, ProblemOut
from learning_api.authoring.validation import LessonSource, Report, validate_sources
from learning_api.db.tables import Lesson
from learning_api.errors import InvalidInput
from learning_api.pagination import PageQuery, scalars_page
from learning_api.storage import ObjectStore


def authored(lesson: Lesson) -> AuthoredLesson:
    return AuthoredLesson(
        id=lesson.id,
        course=lesson.course_id,
        level=lesson.level,
        topic=lesson.topic,
        position=lesson.position,
        title=lesson.title,
        published_version=lesson.published_version,
        latest_version=lesson.latest_version,
    )


_ALL_LESSONS = select(Lesson).order_by(Lesson.course_id, Lesson.position, Lesson.id)


async def list_lessons(session: AsyncSession) -> list[AuthoredLesson]:
    """Every lesson, for the CLI (`keelerada content list`); the API pages them (``lesson_page``)."""
    return [authored(lesson) for lesson in await session.scalars(_ALL_LESSONS)]


async def lesson_page(session: AsyncSession, page: PageQuery) -> AuthoredLessonPage:
    lessons, next_offset = await scalars_page(session, _ALL_LESSONS, page)
    return AuthoredLessonPage([authored(lesson) for lesson in lessons], page.limit, page.offset, next_offset)


def _media(data: LessonText) -> dict[str, bytes]:
    try:
        return {path: base64.b64decode(text, validate=True) for path, text in data.media.items()}
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(f"media must be base64: {exc}", field="media") from None


def _validate(data: LessonText, media: dict[str, bytes], published: dict[str, tuple[str, str]]) -> Report:
    source = LessonSource(data.filename or "lesson.yaml", data.source, named=data.filename is not None)
    known = {word.strip().casefold() for word in data.known_words}
    return validate_sources(
        [source], known_words=lambda _: known, read_media=lambda _, rel: media.get(rel), published=published
    )


def problems_out(report: Report) -> list[ProblemOut]:
    return [ProblemOut(problem.line, problem.message) for problem in report.problems]


async def validate_text(session: AsyncSession, data: LessonText) -> Report:
    media = _media(data)
    published = await published_exercises(session)
    return await anyio.to_thread.run_sync(_validate, data, media, published)


def _compile(report: Report, media: dict[str, bytes]) -> CompiledLesson:
    (lesson,) = report.lessons
    return compile_lesson(lesson, media.__getitem__, course_vocabulary(report.lessons))


async def upload_text(
    session: AsyncSession, store: ObjectStore, data: LessonText, *, publish: bool, author: str
) -> UploadOutcome:
    media = _media(data)
    report = await anyio.to_thread.run_sync(_validate, data, media, await published_exercises(session))
    if not report.ok:
        raise InvalidInput(
            f"the lesson has {len(report.problems)} problem(s)",
            extra={"problems": [{"line": p.line, "message": p.message} for p in report.problems]},
        )
    compiled = await anyio.to_thread.run_sync(_compile, report, media)
    return await upload_lesson(session, store, compiled, publish=publish, author=author)
