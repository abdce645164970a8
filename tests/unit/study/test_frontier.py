"""The course index narrows new material to what the rule may keep: items not met and, in adaptive order,
of no remembered family; an item practising no lemma is never skipped as remembered."""

from __future__ import annotations

from learning_api.catalog.documents import Exercise
from learning_api.study.bank import BankItem, Published
from learning_api.study.frontier import CourseIndex


def _entry(item_id: str, lemmas: list[str]) -> Published:
    item = BankItem(item_id, "a1-01-x", 1, "flashcard", "A1", "vocabulary", "greetings", lemmas, [], 1.0, 0.0)
    exercise = Exercise(id=item_id, type="flashcard", skill="vocabulary", lemmas=lemmas, answers=["x"])
    return Published(item, exercise)


COURSE = CourseIndex.of(
    {e.item.id: e for e in (_entry("x-1", ["aitäh"]), _entry("x-2", ["aitäh"]), _entry("x-3", []),
                           _entry("x-4", ["tere"]), _entry("x-5", []))}
)  # fmt: skip


def _unmet(met: set[str], remembered: set[str], skip: bool) -> list[str]:
    return [item.id for item, _ in COURSE.unmet(met, remembered, skip)]


def test_met_items_and_remembered_families_are_left_out_in_course_order() -> None:
    assert _unmet({"x-1", "x-3", "gone"}, {"aitäh", "gone"}, True) == ["x-4", "x-5"]
    assert _unmet({"x-1", "x-3"}, {"aitäh"}, False) == ["x-2", "x-4", "x-5"]
    assert _unmet(set(), set(), True) == ["x-1", "x-2", "x-3", "x-4", "x-5"]
