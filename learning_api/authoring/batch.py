"""Whole-course runs for `keelerada content`: validate, compile and upload many lessons, one DB
transaction per lesson (so a failure midway keeps every lesson either at its old or its new version),
and the numbers `content stats` prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.authoring.compile import compile_lesson, course_vocabulary
from learning_api.authoring.publishing import UploadOutcome, published_exercises, upload_lesson
from learning_api.authoring.validation import Report, validate_paths
from learning_api.kinds import LEVELS
from learning_api.storage import ObjectStore


def course_title(course_dir: Path) -> dict[str, str]:
    """The course's name for the catalog: the first heading of its README, else the folder name."""
    readme = course_dir / "README.md"
    if readme.is_file():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return {"et": line[2:].strip()}
    return {"et": course_dir.name}


async def validate_against_db(
    sessionmaker: async_sessionmaker[AsyncSession], paths: Iterable[Path], today: date | None = None
) -> Report:
    async with sessionmaker() as session:
        published = await published_exercises(session)
    return validate_paths(paths, published=published, today=today)


async def upload_paths(
    sessionmaker: async_sessionmaker[AsyncSession],
    store: ObjectStore,
    paths: Iterable[Path],
    *,
    publish: bool,
    author: str = "",
    on_lesson: Callable[[UploadOutcome], None] = lambda _: None,
) -> tuple[Report, list[UploadOutcome]]:
    """Nothing is uploaded unless the whole set validates (against what the DB has published)."""
    report = await validate_against_db(sessionmaker, paths)
    if not report.ok:
        return report, []
    vocabulary = course_vocabulary(report.lessons)
    outcomes = []
    for lesson in report.lessons:
        course_dir = lesson.source.course_dir or Path(".")
        compiled = compile_lesson(lesson, lambda rel, root=course_dir: (root / rel).read_bytes(), vocabulary)
        async with sessionmaker() as session, session.begin():
            outcome = await upload_lesson(
                session,
                store,
                compiled,
                publish=publish,
                author=author,
                course_title=course_title(course_dir),
            )
        outcomes.append(outcome)
        on_lesson(outcome)
    return report, outcomes


def course_stats(report: Report) -> dict[str, Any]:
    kinds = Counter(kind for lesson in report.lessons for _, _, kind in lesson.facts.exercises)
    return {
        "lessons": len(report.lessons),
        "lemmas": len({lemma for lesson in report.lessons for _, lemma, _ in lesson.facts.vocabulary}),
        "exercises": sum(kinds.values()),
        "exercises_by_type": dict(sorted(kinds.items())),
        "levels": dict(sorted(Counter(str(lesson.data.get("level")) for lesson in report.lessons).items())),
        "by_level": _by_level(report),
        "unknown_words": report.unknown_words,
        "problems": len(report.problems),
    }


def _by_level(report: Report) -> dict[str, dict[str, Any]]:
    """Per level: lessons, exercises by type, and the lemmas first taught there (a lemma a lower level
    already teaches is not new at B1), which is how a course's size is judged against the CEFR."""
    seen: set[str] = set()
    levels: dict[str, dict[str, Any]] = {}
    for level in LEVELS:
        lessons = [lesson for lesson in report.lessons if lesson.data.get("level") == level]
        if not lessons:
            continue
        lemmas = {lemma for lesson in lessons for _, lemma, _ in lesson.facts.vocabulary}
        kinds = Counter(kind for lesson in lessons for _, _, kind in lesson.facts.exercises)
        levels[level] = {
            "lessons": len(lessons),
            "new_lemmas": len(lemmas - seen),
            "exercises": sum(kinds.values()),
            "exercises_by_type": dict(sorted(kinds.items())),
        }
        seen |= lemmas
    return levels
