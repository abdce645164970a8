"""The questions of reading texts and dialogues, graded by their kind in the one grading module: choice
and true-false by exact match (feedback in the learner's language), match pair by pair, short answers by
the Estonian-aware grader; a response that answers nothing is refused, never graded wrong."""

from __future__ import annotations

import pytest

from learning_api.catalog.documents import Exercise
from learning_api.study.grading import UnreadableResponse, grade_answer
from learning_api.study.memory import guess_floor


def _question(kind: str, answers: list[str], **fields: object) -> Exercise:
    return Exercise(
        id=f"a2-01-test-r1-{kind}", type="reading", skill="reading", lemmas=[], answers=answers,
        group="a2-01-test-r1", kind=kind, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


CHOICE = _question("choice", ["teenindajat"], prompt="Keda kohvik otsib?", options=["kokka", "teenindajat"])
TRUE_FALSE = _question("true-false", ["not-given"], statement="Ivan on kohvikus varem töötanud.")
MATCH = _question(
    "match", ["kella kaheksast\nsuletud"], prompt="Millal?", lefts=["esmaspäeval", "pühapäeval"],
    rights=["kella kaheksast", "suletud"],
)  # fmt: skip
SHORT = _question("short", ["kell kümme", "kümnest"], prompt="Mis kell peab Ivan tulema?")


@pytest.mark.parametrize(
    ("question", "response", "correct"),
    [
        (CHOICE, "Teenindajat", True),
        (CHOICE, "kokka", False),
        (TRUE_FALSE, "not-given", True),
        (TRUE_FALSE, "Not given", True),
        (TRUE_FALSE, "false", False),
        (MATCH, "kella kaheksast\nsuletud", True),
        (MATCH, "suletud\nkella kaheksast", False),
        (SHORT, "kell kümme", True),
        (SHORT, "kümnest", True),
        (SHORT, "kell üheksa", False),
    ],
)
def test_each_kind_is_graded_by_its_rule(question: Exercise, response: str, correct: bool) -> None:
    graded = grade_answer(question, response, "en")
    assert graded.correct is correct
    assert graded.grade == (3 if correct else 1)


def test_a_short_answer_with_a_typo_is_the_language_cores_verdict() -> None:
    graded = grade_answer(SHORT, "kell kumme", "en")
    assert graded.verdict == "diacritics" and graded.correct


def test_true_false_feedback_names_the_answer_in_the_learners_language() -> None:
    graded = grade_answer(TRUE_FALSE, "true", "ru")
    assert graded.feedback == "Неверно. Правильный ответ: Не сказано: в тексте об этом нет."
    assert graded.expected == "not-given"


def test_a_match_counts_the_pairs_and_shows_them() -> None:
    graded = grade_answer(MATCH, "suletud\nkella kaheksast", "en")
    assert graded.feedback == (
        "0 of 2 pairs right. The right pairs: esmaspäeval – kella kaheksast; pühapäeval – suletud"
    )


@pytest.mark.parametrize(("question", "response"), [(TRUE_FALSE, "maybe"), (MATCH, "suletud")])
def test_a_response_that_answers_nothing_is_refused(question: Exercise, response: str) -> None:
    with pytest.raises(UnreadableResponse) as refused:
        grade_answer(question, response, "en")
    assert refused.value.field == "response"


def test_luck_is_the_guessing_floor_of_each_kind() -> None:
    assert guess_floor("reading", ["a", "b", "c"], "choice") == pytest.approx(1 / 3)
    assert guess_floor("dialogue", None, "true-false") == pytest.approx(1 / 3)
    assert guess_floor("reading", ["a", "b", "c"], "match") == pytest.approx(1 / 6)
    assert guess_floor("reading", None, "short") == 0.0
