"""New material by study order: adaptive order skips a remembered family's siblings and what the learner
is predicted to know, and brings a due family's unseen members in as reviews; course order skips nothing
and brings nothing in early."""

from __future__ import annotations

from learning_api.catalog.documents import Exercise
from learning_api.kinds import StudyOrder
from learning_api.study.bank import BankItem
from learning_api.study.selection import KNOWN_SUCCESS, family_introductions, new_material


def _pair(item_id: str, lemma: str, b: float) -> tuple[BankItem, Exercise]:
    item = BankItem(item_id, "a1-01-x", 1, "flashcard", "A1", "vocabulary", "greetings", [lemma], [], 1.0, b)
    return item, Exercise(id=item_id, type="flashcard", skill="vocabulary", lemmas=[lemma], answers=[lemma])


AHEAD = [_pair("x-1", "aitäh", 0.0), _pair("x-2", "aitäh", 0.0), _pair("x-3", "tere", -6.0),
         _pair("x-4", "palun", 0.0)]  # fmt: skip
THETA = {"vocabulary": 0.0}  # x-3 (b = -6) is predicted known


def _new(order: StudyOrder) -> list[str]:
    chosen = new_material(AHEAD, {"x-1"}, {"aitäh"}, THETA, lambda i: (i.irt_a, i.irt_b), 10, order)
    return [c.item.id for c in chosen]


def test_adaptive_order_skips_a_remembered_family_and_what_is_known() -> None:
    assert _new(StudyOrder.ADAPTIVE) == ["x-4"]


def test_course_order_serves_every_unseen_exercise_in_order() -> None:
    assert _new(StudyOrder.COURSE) == ["x-2", "x-3", "x-4"]
    known = new_material(AHEAD[2:3], set(), set(), THETA, lambda i: (i.irt_a, i.irt_b), 1, StudyOrder.COURSE)
    assert known[0].predicted_success >= KNOWN_SUCCESS  # known, served all the same


def test_only_adaptive_order_brings_a_due_familys_unseen_members_in_as_reviews() -> None:
    due = {"aitäh": [item.id for item, _ in AHEAD if item.lemmas == ["aitäh"]]}
    assert family_introductions(due, {"x-1"}, StudyOrder.ADAPTIVE) == ["x-2"]
    assert family_introductions(due, {"x-1"}, StudyOrder.COURSE) == []
