"""Validate lesson sources as one course: the schema per file, then what only the whole course shows
(unique lesson and exercise ids, flashcard lemmas in the vocabulary, ids stable against what was
published before), media present, and the Vabamorf checks. Every problem is collected; none stops the run.

Warnings (facts due for another check, a choice with a second option that fits) are for the editor: they
are printed but do not fail validation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from learning_api.authoring.checks import Checker, Problem
from learning_api.authoring.language_checks import check_language, check_numeral_agreement, check_second_fits
from learning_api.authoring.loader import LineDict, YamlError, load_yaml
from learning_api.authoring.schema import LessonFacts, check_lesson

KNOWN_WORDS_FILE = "known_words.txt"
MEDIA_DIR = "media"
FACTS_MAX_AGE_MONTHS = 24
SPOKEN_TAG = b"spoken="  # the Vorbis comment `keelerada content audio` writes: the text a file speaks
Published = Mapping[str, tuple[str, str]]  # exercise id -> (lesson id, type) as published before


@dataclass(frozen=True)
class LessonSource:
    """One lesson text and where it came from; ``course_dir`` holds media/ and known_words.txt."""

    path: str
    text: str
    course_dir: Path | None = None
    named: bool = True  # the file name is the author's; a text sent to the API has none to check


@dataclass
class CheckedLesson:
    source: LessonSource
    data: LineDict
    facts: LessonFacts


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lessons: list[CheckedLesson] = field(default_factory=list)
    unknown_words: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def lesson_files(paths: Iterable[Path]) -> list[Path]:
    """Lesson files named on the command line: a folder means every *.yaml in it and in its sub-folders
    (so the content root finds every course), media folders aside."""
    files: list[Path] = []
    for path in paths:
        files.extend(_folder_lessons(path) if path.is_dir() else [path])
    return files


def _folder_lessons(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.yaml"))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and p.name != MEDIA_DIR):
        files.extend(_folder_lessons(sub))
    return files


def read_known_words(course_dir: Path) -> tuple[set[str], list[Problem]]:
    """``word  # why`` per line; a word without its why is a problem, so the list stays deliberate."""
    path = course_dir / KNOWN_WORDS_FILE
    if not path.is_file():
        return set(), []
    words, problems = set(), []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        word, hash_sign, why = line.partition("#")
        if not word.strip():
            continue
        if not hash_sign or not why.strip():
            problems.append(
                Problem(str(path), number, f"say why '{word.strip()}' is listed: '{word.strip()}  # why'")
            )
        words.add(word.strip().casefold())
    return words, problems


def read_sources(paths: Iterable[Path]) -> tuple[list[LessonSource], list[Problem]]:
    sources, problems = [], []
    for path in lesson_files(paths):
        try:
            sources.append(LessonSource(str(path), path.read_text(encoding="utf-8"), path.parent))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), 1, f"cannot read the file: {exc}"))
    return sources, problems


def validate_paths(
    paths: Iterable[Path], *, published: Published | None = None, today: date | None = None
) -> Report:
    sources, problems = read_sources(paths)
    known: dict[Path, set[str]] = {}
    for course_dir in {source.course_dir for source in sources if source.course_dir}:
        known[course_dir], known_problems = read_known_words(course_dir)
        problems.extend(known_problems)
    report = validate_sources(
        sources,
        known_words=lambda source: known.get(source.course_dir, set()) if source.course_dir else set(),
        read_media=_read_course_file,
        published=published or {},
        today=today,
    )
    report.problems = sorted(problems + report.problems)
    return report


def _read_course_file(source: LessonSource, relative: str) -> bytes | None:
    path = source.course_dir / relative if source.course_dir else None
    return path.read_bytes() if path and path.is_file() else None


def spoken_text(audio: bytes) -> str | None:
    """The text a generated recording speaks, from its Vorbis comment (a 4-byte little-endian length, then
    ``spoken=<text>``); None for a recording made otherwise, e.g. by a human speaker."""
    start = audio.find(SPOKEN_TAG, 0, 64 * 1024)
    if start < 4:
        return None
    length = int.from_bytes(audio[start - 4 : start], "little")
    return audio[start + len(SPOKEN_TAG) : start + length].decode("utf-8", errors="replace")


def validate_sources(
    sources: list[LessonSource],
    *,
    known_words: Callable[[LessonSource], set[str]],
    read_media: Callable[[LessonSource, str], bytes | None],
    published: Published,
    today: date | None = None,
) -> Report:
    """`today` (from the caller's clock) turns on the warning for facts checked too long ago."""
    report = Report()
    checkers: dict[str, Checker] = {}
    for source in sources:
        check = checkers[source.path] = Checker(source.path)
        try:
            data, duplicates = load_yaml(source.text)
        except YamlError as exc:
            check.add(exc.line, exc.message)
            continue
        for line, message in duplicates:
            check.add(line, message)
        stem = Path(source.path).name.removesuffix(".yaml") if source.named else None
        facts = check_lesson(data, check, stem)
        if source.course_dir and facts.course not in (None, source.course_dir.name):
            check.add(facts.course_line, f"'course' must be the folder name '{source.course_dir.name}'")
        if isinstance(data, LineDict):
            report.lessons.append(CheckedLesson(source, data, facts))
    _check_course(report.lessons, checkers, published)
    vocabulary_pos = {lemma: pos for lesson in report.lessons for _, lemma, pos in lesson.facts.vocabulary}
    for lesson in report.lessons:
        check = checkers[lesson.source.path]
        for line, rel, _ in lesson.facts.media:
            data = read_media(lesson.source, rel)
            if data is None:
                check.add(line, f"media file '{rel}' is missing")
            elif rel in lesson.facts.spoken and (spoken := spoken_text(data)) not in (
                None,
                lesson.facts.spoken[rel],
            ):
                check.add(line, f"'{rel}' speaks '{spoken}', not the answer: run `keelerada content audio`")
            elif rel in lesson.facts.scripts and (spoken := spoken_text(data)) not in (
                None,
                lesson.facts.scripts[rel],
            ):
                check.add(line, f"'{rel}' does not speak the dialogue's turns: run `keelerada content audio`")
        for line, lemma in lesson.facts.flashcards:
            if lemma not in vocabulary_pos:
                check.add(line, f"flashcard lemma '{lemma}' is not in the vocabulary")
        report.unknown_words += check_language(
            lesson.facts, check, known_words(lesson.source), vocabulary_pos
        )
        check_second_fits(lesson.facts, check)
        check_numeral_agreement(lesson.facts, check)
        if today is not None:
            _check_facts_age(lesson.facts, check, today)
    report.unknown_words = sorted(set(report.unknown_words))
    report.problems = sorted(problem for check in checkers.values() for problem in check.problems)
    report.warnings = sorted(warning for check in checkers.values() for warning in check.warnings)
    return report


def _check_facts_age(facts: LessonFacts, check: Checker, today: date) -> None:
    if facts.facts_checked is None:
        return
    line, year, month = facts.facts_checked
    age = (today.year - year) * 12 + today.month - month
    if age > FACTS_MAX_AGE_MONTHS:
        check.warn(
            line,
            f"the facts were checked in {year}-{month:02}, over two years ago: check the fees, laws and "
            "dates the lesson states, then update 'facts_checked'",
        )
    elif age < 0:
        check.warn(line, f"'facts_checked' {year}-{month:02} is in the future")


def _check_course(lessons: list[CheckedLesson], checkers: dict[str, Checker], published: Published) -> None:
    lesson_at: dict[str, str] = {}
    exercise_at: dict[str, str] = {}
    place_at: dict[tuple[str | None, int], str] = {}
    for lesson in lessons:
        path, facts = lesson.source.path, lesson.facts
        check = checkers[path]
        order = lesson.data.get("order") if isinstance(lesson.data, LineDict) else None
        if isinstance(order, int) and not isinstance(order, bool):
            line = lesson.data.line_of("order")
            if (facts.course, order) in place_at:
                check.add(line, f"order {order} is already taken by {place_at[facts.course, order]}: "
                          "each lesson of a course has a place of its own")  # fmt: skip
            place_at.setdefault((facts.course, order), f"{path}:{line}")
        if facts.lesson_id is not None:
            if facts.lesson_id in lesson_at:
                check.add(
                    facts.id_line,
                    f"lesson id '{facts.lesson_id}' is already used in {lesson_at[facts.lesson_id]}",
                )
            lesson_at.setdefault(facts.lesson_id, f"{path}:{facts.id_line}")
        for line, exercise_id, kind in sorted((*facts.exercises, *facts.questions)):
            if exercise_id in exercise_at:
                check.add(line, f"exercise id '{exercise_id}' is already used at {exercise_at[exercise_id]}")
            exercise_at.setdefault(exercise_id, f"{path}:{line}")
            before = published.get(exercise_id)
            if before and facts.lesson_id and before != (facts.lesson_id, kind):
                check.add(
                    line,
                    f"exercise id '{exercise_id}' was published with type '{before[1]}' "
                    f"in lesson '{before[0]}': ids are stable, give this exercise a new id",
                )


def exercise_counts(report: Report) -> Counter[str]:
    return Counter(kind for lesson in report.lessons for _, _, kind in lesson.facts.exercises)
