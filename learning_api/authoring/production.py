"""The schema of the exam's production tasks, `writing` and `speaking` (content/FORMAT.md, "The exam's
four parts"): answered freely and scored by a person, so what the validator can hold them to is the
task itself — a genre or mode from its list, the task in every language, limits that make sense, and a
model answer that keeps to them. Problems are reported at the line of the key, like the rest of the
schema (`schema.py` dispatches here by type)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from learning_api.authoring.checks import Checker
from learning_api.authoring.loader import LineDict
from learning_api.kinds import LANGUAGES, SPEAKING_MODES, WRITING_GENRES
from learning_api.language import count_words

if TYPE_CHECKING:
    from learning_api.authoring.schema import LessonFacts

WRITING_KEYS = ("genre", "task", "words", "model")
SPEAKING_KEYS = ("mode", "task", "seconds", "model")
MAX_WORDS = 1000  # far above any tasemeeksam task (B2 letters are ~250 words): a typo guard
MAX_SECONDS = 600


def limits(
    exercise: LineDict, key: str, ceiling: int, check: Checker, *, unit: str
) -> tuple[int, int] | None:
    """`words: [50, 70]`: two whole numbers, positive and increasing (the least, then the most)."""
    value = check.present(exercise, key, f"a {exercise.get('type')} exercise")
    if value is None:
        return None
    pair = list(value) if isinstance(value, list) else None
    if pair is None or len(pair) != 2 or any(not isinstance(n, int) or isinstance(n, bool) for n in pair):
        check.add(exercise.line_of(key), f"'{key}' must be two whole numbers of {unit}, like [50, 70]")
        return None
    low, high = pair
    if not 0 < low < high <= ceiling:
        check.add(
            exercise.line_of(key),
            f"'{key}' must be the least then the most {unit}, increasing, from 1 to {ceiling}: not {pair}",
        )
        return None
    return low, high


def _task(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    task = check.languages(exercise, "task", LANGUAGES, f"a {exercise.get('type')} exercise")
    if "et" in task:
        facts.estonian.append((exercise["task"].line_of("et"), task["et"]))


def _model(exercise: LineDict, check: Checker, facts: LessonFacts, *, required: bool) -> str | None:
    model = check.text(exercise, "model", f"a {exercise.get('type')} exercise", required=required)
    if model is not None:
        facts.estonian.append((exercise.line_of("model"), model))
    return model


def check_writing(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    check.one_of(exercise, "genre", WRITING_GENRES, "a writing exercise")
    _task(exercise, check, facts)
    words = limits(exercise, "words", MAX_WORDS, check, unit="words")
    model = _model(exercise, check, facts, required=True)
    if words is not None and model is not None and not words[0] <= (n := count_words(model)) <= words[1]:
        check.add(
            exercise.line_of("model"),
            f"the model answer has {n} words, outside 'words' {list(words)}: it must keep to the limits",
        )


def check_speaking(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    check.one_of(exercise, "mode", SPEAKING_MODES, "a speaking exercise")
    _task(exercise, check, facts)
    limits(exercise, "seconds", MAX_SECONDS, check, unit="seconds")
    _model(exercise, check, facts, required=False)
