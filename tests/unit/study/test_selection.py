"""New material by study order: adaptive order skips a remembered family's siblings and what the learner
is predicted to know, and brings a due family's unseen members in as reviews; course order skips nothing
and brings nothing in early."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from learning_api.catalog.documents import Exercise
from learning_api.kinds import StudyOrder
from learning_api.study.bank import BankItem
from learning_api.study.selection import KNOWN_SUCCESS, family_introductions, new_material, predicted_success


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


def test_new_material_weighs_items_in_chunks_as_one_at_a_time_would() -> None:
    """The model is called a chunk at a time, yet the choices, their predictions and how much of the course
    is read are those of weighing each item on its own (a generator counts what is read)."""
    rng = np.random.default_rng(3)
    course = [_pair(f"y-{k}", f"sõna-{k % 40}", float(rng.normal(-2.5, 1.5))) for k in range(300)]
    theta = {"vocabulary": 0.4}
    for order, limit in [(StudyOrder.ADAPTIVE, 25), (StudyOrder.ADAPTIVE, 400), (StudyOrder.COURSE, 7)]:
        read: list[str] = []

        def ahead(read: list[str] = read) -> Iterator[tuple[BankItem, Exercise]]:
            for pair in course:
                read.append(pair[0].id)
                yield pair

        seen, remembered = {"y-3", "y-10"}, {"sõna-5"}
        chosen = new_material(ahead(), seen, remembered, theta, lambda i: (i.irt_a, i.irt_b), limit, order)
        expected, needed = [], 0
        for item, exercise in course:
            if len(expected) == limit:
                break
            needed += 1
            if item.id in seen or (order == StudyOrder.ADAPTIVE and item.lemmas[0] in remembered):
                continue
            p = predicted_success(theta, item, exercise, (item.irt_a, item.irt_b))
            if p < KNOWN_SUCCESS or order == StudyOrder.COURSE:
                expected.append((item.id, p))
        assert [(c.item.id, c.predicted_success) for c in chosen] == expected
        assert len(read) == needed  # no further than the last item weighed
