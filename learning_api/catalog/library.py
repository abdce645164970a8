"""Read compiled lesson versions from object storage, cached per (lesson, version).

Versions are immutable, so a cached version is never stale: publishing a new one changes the key the
callers ask for, not the value behind an old key. The cache is per process and bounded.
"""

from __future__ import annotations

from functools import lru_cache

from learning_api.catalog.documents import Exercise, LessonDocument, decode_lesson, lesson_object_key
from learning_api.storage import ObjectStore


@lru_cache(maxsize=512)
def _load(store: ObjectStore, lesson_id: str, version: int) -> LessonDocument:
    return decode_lesson(store.get(lesson_object_key(lesson_id, version)))


def load_lesson(store: ObjectStore, lesson_id: str, version: int) -> LessonDocument:
    """Blocking (object-store I/O on a miss): async callers run it in a worker thread."""
    return _load(store, lesson_id, version)


def exercises_by_id(document: LessonDocument) -> dict[str, Exercise]:
    return {exercise.id: exercise for exercise in document.exercises}
