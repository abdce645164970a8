"""The exam's production tasks in the lesson format: writing and speaking validate, name the line of each
problem, and compile into the served document (content/FORMAT.md, "The exam's four parts")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from learning_api.authoring.validation import validate_paths
from learning_api.catalog.rendering import render_exercise
from learning_api.catalog.schemas import SpeakingShown, WritingShown
from learning_api.language import count_words
from tests.unit.authoring.lesson_fixture import GOOD_LESSON, write_course
from tests.unit.authoring.test_compile import compiled

PRODUCTION = """\
  - id: a1-01-tere-08
    type: writing
    genre: email
    task:
      et: Kirjuta õele lühike kiri. Kus sa elad?
      en: Write a short letter to your sister. Where do you live?
      ru: Напиши сестре короткое письмо. Где ты живёшь?
      uk: Напиши сестрі короткого листа. Де ти живеш?
    words: [5, 20]
    model: |
      Tere, õde! Minu kodu on Tartus. Ma elan seal hästi.
  - id: a1-01-tere-09
    type: speaking
    mode: describe
    task: {et: Räägi oma õest., en: Talk about your sister., ru: Расскажи о сестре., uk: Розкажи про сестру.}
    seconds: [30, 90]
"""
LESSON = GOOD_LESSON + PRODUCTION


def _lines(path: Path) -> list[str]:
    return [f"{p.line}: {p.message}" for p in validate_paths([path]).problems]


def test_writing_and_speaking_validate_and_compile(tmp_path: Path) -> None:
    path = write_course(tmp_path, LESSON)
    assert _lines(path) == []
    exercises = {e.id.rsplit("-", 1)[1]: e for e in compiled(path).document.exercises}
    writing, speaking = exercises["08"], exercises["09"]
    assert (writing.skill, writing.genre, writing.min_words, writing.max_words) == ("writing", "email", 5, 20)
    assert writing.answers == ["Tere, õde! Minu kodu on Tartus. Ma elan seal hästi."]
    assert writing.task["et"].startswith("Kirjuta") and set(writing.task) == {"et", "en", "ru", "uk"}
    assert (speaking.skill, speaking.mode, speaking.min_seconds, speaking.max_seconds) == (
        "speaking", "describe", 30, 90,
    )  # fmt: skip
    assert speaking.answers == []
    shown = render_exercise(writing, "ru", None, np.random.default_rng(0))  # type: ignore[arg-type]
    assert isinstance(shown, WritingShown)
    assert shown.task.startswith("Напиши") and shown.task_et.startswith("Kirjuta") and shown.max_words == 20
    spoken = render_exercise(speaking, "uk", None, np.random.default_rng(0))  # type: ignore[arg-type]
    assert isinstance(spoken, SpeakingShown) and spoken.mode == "describe"
    assert spoken.task == "Розкажи про сестру."


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("genre: email", "genre: essay", "'genre' must be one of email, letter, form, opinion, story"),
        ("mode: describe", "mode: sing", "'mode' must be one of describe, role-play, opinion, interview"),
        ("words: [5, 20]", "words: [20, 5]", "'words' must be the least then the most words, increasing"),
        ("words: [5, 20]", "words: [0, 20]", "'words' must be the least then the most words"),
        ("words: [5, 20]", "words: 20", "'words' must be two whole numbers of words"),
        ("seconds: [30, 90]", "seconds: [30, 90, 120]", "'seconds' must be two whole numbers of seconds"),
        ("words: [5, 20]", "words: [5, 8]", "the model answer has 10 words, outside 'words' [5, 8]"),
        ("      uk: Напиши сестрі короткого листа. Де ти живеш?\n", "", "'task' has no text in 'uk'"),
        ("Minu kodu on Tartus", "Minu kodu on Tartuss", "unknown Estonian word 'Tartuss'"),
        ("Räägi oma õest.", "Räägi oma õeest.", "unknown Estonian word 'õeest'"),
        ("    words: [5, 20]\n", "    words: [5, 20]\n    seconds: [5, 9]\n", "unknown key 'seconds'"),
        ("    seconds: [30, 90]\n", "", "a speaking exercise needs 'seconds'"),
    ],
)
def test_broken_production_task(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in LESSON
    lines = _lines(write_course(tmp_path, LESSON.replace(old, new)))
    assert any(expected in line for line in lines), lines
    assert all(int(line.split(":")[0]) > 60 for line in lines)  # at the task's own line, not the lesson's


def test_words_are_counted_as_the_exam_counts_them() -> None:
    assert count_words("Tere, õde! Ma elan 5 aastat Tartus.") == 7
    assert count_words("  ") == 0
