"""Upload and publish lesson versions: media, then the immutable version, then one DB transaction.

The order is what keeps learners safe from a crash at any point: media are content-addressed (a stray
file is harmless and reused next time); a version object is written under a fresh number that the
database does not know yet, so nothing serves it; only the final transaction, owned by the caller, moves
the published pointer and the item bank together. Services here never commit.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import anyio
import msgspec
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.authoring.compile import CompiledLesson, MediaFile
from learning_api.catalog.documents import LessonDocument, decode_lesson, encode_lesson, lesson_object_key
from learning_api.catalog.levels import LEVEL_DIFFICULTY
from learning_api.db.tables import Course, Item, Lesson, LessonVersion, ReviewState
from learning_api.errors import Conflict, NotFound
from learning_api.storage import ObjectStore
from learning_api.study.selection import family

CRASH_ENV = "KEELERADA_TEST_CRASH_AFTER"
"""Fault injection for the interrupted-upload test: 'media' or 'version' ends the process right after
that step, as a kill -9 would."""


@dataclass(frozen=True)
class UploadOutcome:
    lesson_id: str
    version: int
    changed: bool  # False: the same content was already the latest version
    published: bool
    media_uploaded: int


def _crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        os._exit(137)


async def published_exercises(session: AsyncSession) -> dict[str, tuple[str, str]]:
    """Exercise id -> (lesson id, type) of everything ever published: ids must keep their meaning."""
    rows = await session.execute(select(Item.id, Item.lesson_id, Item.type))
    return {item_id: (lesson_id, kind) for item_id, lesson_id, kind in rows}


def _put_media(store: ObjectStore, files: Iterable[MediaFile]) -> int:
    uploaded = 0
    for file in files:
        if not store.exists(file.key):
            store.put(file.key, file.data, file.content_type)
            uploaded += 1
    return uploaded


def _put_version(store: ObjectStore, document: LessonDocument, version: int) -> LessonDocument:
    """Write the document under the first free version number from ``version``. A number already in the
    store but unknown to the DB is a crashed upload's leftover: reused if it holds this same content,
    skipped otherwise, never overwritten."""
    while True:
        key = lesson_object_key(document.id, version)
        if not store.exists(key):
            numbered = msgspec.structs.replace(document, version=version)
            store.put(key, encode_lesson(numbered), "application/json")
            return numbered
        existing = decode_lesson(store.get(key))
        if existing.source_sha256 == document.source_sha256:
            return existing
        version += 1


async def upload_lesson(
    session: AsyncSession,
    store: ObjectStore,
    compiled: CompiledLesson,
    *,
    publish: bool,
    author: str = "",
    course_title: dict[str, str] | None = None,
) -> UploadOutcome:
    document = compiled.document
    # Row lock (PostgreSQL): two uploads of one lesson take turns instead of both claiming the next version.
    lesson = await session.get(Lesson, document.id, with_for_update=True)
    if lesson is not None and lesson.latest_version:
        latest = await session.get(LessonVersion, (lesson.id, lesson.latest_version))
        if latest is not None and latest.content_sha256 == document.source_sha256:
            if publish and lesson.published_version != latest.version:
                await _switch(session, lesson, msgspec.structs.replace(document, version=latest.version))
            return UploadOutcome(
                lesson.id, latest.version, False, lesson.published_version == latest.version, 0
            )
    uploaded = await anyio.to_thread.run_sync(_put_media, store, list(compiled.media.values()))
    _crash_point("media")
    first_free = (lesson.latest_version if lesson else 0) + 1
    numbered = await anyio.to_thread.run_sync(_put_version, store, document, first_free)
    _crash_point("version")
    if await session.get(Course, document.course) is None:
        session.add(Course(id=document.course, title=course_title or {"et": document.course}))
    if lesson is None:
        lesson = Lesson(
            id=document.id,
            course_id=document.course,
            level=document.level,
            topic=document.topic,
            position=document.order,
            title=document.title,
            published_version=None,
            latest_version=0,
        )
        session.add(lesson)
    lesson.latest_version = numbered.version
    session.add(
        LessonVersion(
            lesson_id=lesson.id,
            version=numbered.version,
            content_sha256=numbered.source_sha256,
            object_key=lesson_object_key(lesson.id, numbered.version),
            created_by=author,
        )
    )
    if publish:
        await _switch(session, lesson, numbered)
    await session.flush()
    return UploadOutcome(lesson.id, numbered.version, True, publish, uploaded)


async def publish_version(
    session: AsyncSession, store: ObjectStore, lesson_id: str, version: int | None = None
) -> Lesson:
    """Serve ``version`` (default: the latest upload); also how an author rolls back to an older one."""
    lesson = await session.get(Lesson, lesson_id, with_for_update=True)
    if lesson is None or not lesson.latest_version:
        raise NotFound(f"no lesson '{lesson_id}' has been uploaded")
    row = await session.get(LessonVersion, (lesson_id, version or lesson.latest_version))
    if row is None:
        raise NotFound(f"lesson '{lesson_id}' has no version {version}", field="version")
    document = decode_lesson(await anyio.to_thread.run_sync(store.get, row.object_key))
    await _switch(session, lesson, document)
    await session.flush()
    return lesson


async def unpublish(session: AsyncSession, lesson_id: str) -> Lesson:
    """Hide the lesson from the catalog; its items and learners' histories stay."""
    lesson = await session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound(f"no lesson '{lesson_id}' has been uploaded")
    lesson.published_version = None
    await session.flush()
    return lesson


async def _switch(session: AsyncSession, lesson: Lesson, document: LessonDocument) -> None:
    """Point the lesson at ``document`` and make the item bank match it, in the caller's transaction."""
    lesson.published_version = document.version
    lesson.course_id, lesson.level, lesson.topic = document.course, document.level, document.topic
    lesson.position, lesson.title = document.order, document.title
    ids = [exercise.id for exercise in document.exercises]
    existing = {
        item.id: item
        for item in await session.scalars(
            select(Item).where(or_(Item.id.in_(ids), Item.lesson_id == lesson.id))
        )
    }
    moved: dict[str | None, list[str]] = {}  # new family -> items whose family changed
    for exercise in document.exercises:
        item = existing.get(exercise.id)
        if item is not None and item.lesson_id != lesson.id:
            raise Conflict(f"exercise id '{exercise.id}' belongs to lesson '{item.lesson_id}'", field="id")
        before = None if item is None else family(item)
        if item is None:
            item = Item(
                id=exercise.id, lesson_id=lesson.id, irt_a=1.0, irt_b=LEVEL_DIFFICULTY[document.level]
            )
            session.add(item)
        item.lesson_version, item.type, item.level = document.version, exercise.type, document.level
        item.skill, item.topic, item.lemmas = exercise.skill, document.topic, exercise.lemmas
        item.grammar, item.removed_in_version = document.grammar, None
        if item.id in existing and family(item) != before:
            moved.setdefault(family(item), []).append(item.id)
    current = set(ids)
    for item_id, item in existing.items():
        if item_id not in current and item.lesson_id == lesson.id and item.removed_in_version is None:
            item.removed_in_version = document.version
    for key, item_ids in moved.items():  # the learners' states follow their item into its new family
        await session.execute(
            update(ReviewState).where(ReviewState.item_id.in_(item_ids)).values(family=key),
            execution_options={"synchronize_session": False},
        )
