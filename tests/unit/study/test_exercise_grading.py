"""The study answer path grades each exercise type by its own rule: a translated or ordered sentence may
take another allowed order, a left-out pronoun or digits; a dictation (listen) must be what was said."""

from __future__ import annotations

import pytest

from learning_api.catalog.documents import Exercise
from learning_api.study.grading import grade_answer


def _exercise(kind: str, answers: list[str]) -> Exercise:
    return Exercise(id=f"a1-01-test-{kind}", type=kind, skill="writing", lemmas=[], answers=answers)


@pytest.mark.parametrize("kind", ["translate", "order"])
@pytest.mark.parametrize("response", ["Elan Tallinnas.", "Tallinnas elan ma.", "Ma Tallinnas elan."])
def test_sentence_items_take_every_right_sentence(kind: str, response: str) -> None:
    graded = grade_answer(_exercise(kind, ["Ma elan Tallinnas."]), response, "en")
    assert (graded.verdict, graded.correct, graded.grade) == ("accepted", True, 3)


def test_digits_in_a_translation_are_right() -> None:
    graded = grade_answer(_exercise("translate", ["Mul on kaks venda."]), "Mul on 2 venda.", "ru")
    assert graded.verdict == "accepted" and graded.expected == "Mul on kaks venda."


def test_a_dictation_must_be_what_was_said() -> None:
    graded = grade_answer(_exercise("listen", ["Ma elan Tallinnas."]), "Tallinnas elan ma.", "en")
    assert not graded.correct


def test_cyrillic_on_the_answer_path_names_the_keyboard() -> None:
    graded = grade_answer(_exercise("translate", ["Ma elan Tallinnas."]), "Ма елан Таллиннас", "uk")
    assert graded.verdict == "wrong" and "розкладку клавіатури" in graded.feedback
