"""Compiling fills what authors never type, and hashes the content so unchanged means unchanged."""

from __future__ import annotations

from pathlib import Path

from learning_api.authoring.compile import CompiledLesson, compile_lesson, course_vocabulary
from learning_api.authoring.validation import validate_paths
from tests.unit.authoring.lesson_fixture import AUDIO, GOOD_LESSON, write_course


def compiled(path: Path) -> CompiledLesson:
    report = validate_paths([path])
    assert report.ok, report.problems
    (lesson,) = report.lessons
    return compile_lesson(
        lesson, lambda rel: (path.parent / rel).read_bytes(), course_vocabulary(report.lessons)
    )


def test_answers_skills_lemmas_and_media_are_filled_in(tmp_path: Path) -> None:
    result = compiled(write_course(tmp_path))
    exercises = {exercise.id.rsplit("-", 1)[1]: exercise for exercise in result.document.exercises}
    assert exercises["01"].answers == ["hello", "привет", "привіт"]  # et-native: the meanings
    assert exercises["01"].translations == {"en": "hello", "ru": "привет", "uk": "привіт"}
    assert exercises["04"].answers == ["õe"]  # inflect: synthesised, never typed
    assert exercises["06"].words == ["Minu", "õde", "elab", "Tartus."]
    assert exercises["06"].answers == ["Minu õde elab Tartus.", "Tartus elab minu õde."]
    assert [e.skill for e in exercises.values()] == [
        "vocabulary", "vocabulary", "grammar", "grammar", "writing", "writing", "listening",
    ]  # fmt: skip
    assert exercises["05"].lemmas == ["õde"]  # the vocabulary lemmas found in the answer
    assert exercises["02"].lemmas == ["õde"]  # not 'vend', a wrong option
    (media,) = result.media.values()
    assert exercises["07"].audio == media.key
    assert media.key.startswith("media/") and media.key.endswith(".ogg") and media.data == AUDIO
    assert media.content_type == "audio/ogg"


def test_flashcard_native_to_estonian_expects_the_lemma(tmp_path: Path) -> None:
    lesson = GOOD_LESSON.replace("direction: et-native", "direction: native-et")
    assert compiled(write_course(tmp_path, lesson)).document.exercises[0].answers == ["tere"]


def test_flashcard_native_to_estonian_takes_accepted_synonyms(tmp_path: Path) -> None:
    lesson = GOOD_LESSON.replace("direction: et-native}", "direction: native-et, accept: [tervist]}")
    assert compiled(write_course(tmp_path, lesson)).document.exercises[0].answers == ["tere", "tervist"]


def test_accept_on_a_recognition_flashcard_is_refused(tmp_path: Path) -> None:
    lesson = GOOD_LESSON.replace("direction: et-native}", "direction: et-native, accept: [tervist]}")
    report = validate_paths([write_course(tmp_path, lesson)])
    assert [p.message for p in report.problems] == ["'accept' only fits a flashcard with direction native-et"]


def test_the_hash_follows_content_and_media(tmp_path: Path) -> None:
    path = write_course(tmp_path)
    first = compiled(path).document.source_sha256
    assert compiled(path).document.source_sha256 == first
    (path.parent / "media" / "a1-01-tere-07.ogg").write_bytes(b"other audio")
    changed_media = compiled(path).document.source_sha256
    path.write_text(GOOD_LESSON.replace("Learn to greet.", "Learn to say hello."), encoding="utf-8")
    assert len({first, changed_media, compiled(path).document.source_sha256}) == 3


def test_inflect_answers_take_the_homonym_of_the_vocabulary_example(tmp_path: Path) -> None:
    """Vabamorf files two paradigms under "kott" (koti and kota); the example "Kas te soovite kotti?" says
    which one the lesson means."""
    kott = (
        "  - lemma: kott\n    pos: noun\n    en: bag\n    ru: сумка\n    uk: сумка\n"
        "    example: Kas te soovite kotti?\n"
    )
    lesson = GOOD_LESSON.replace("lemma: õde\n    form: sg g", "lemma: kott\n    form: sg g")
    lesson = lesson.replace("exercises:\n", kott + "exercises:\n", 1)
    exercises = compiled(write_course(tmp_path, lesson)).document.exercises
    assert exercises[3].answers == ["koti"]
