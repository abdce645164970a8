"""A session holds a text's or a dialogue's questions together: one chosen question brings its siblings
in question order, and single items, never a group's, make room when that takes the session over size."""

from __future__ import annotations

from learning_api.catalog.documents import Exercise, Passage
from learning_api.study.bank import BankItem, Published
from learning_api.study.planner import Candidate
from learning_api.study.session import with_siblings

PASSAGE = Passage(id="a2-01-x-r1", type="reading", questions=[f"a2-01-x-r1-q{n}" for n in (1, 2, 3)])


def _entry(item_id: str, grouped: bool) -> Published:
    kind = "reading" if grouped else "choice"
    item = BankItem(item_id, "a2-01-x", 1, kind, "A2", "reading", "work", [], [], 1.0, 0.0)
    group, passage = (PASSAGE.id, PASSAGE) if grouped else (None, None)
    exercise = Exercise(
        id=item_id, type=kind, skill="reading", lemmas=[], answers=["a"], group=group, passage=passage
    )
    return Published(item, exercise)


COURSE = dict(
    [(i, _entry(i, True)) for i in PASSAGE.questions]
    + [(f"a2-01-x-{n}", _entry(f"a2-01-x-{n}", False)) for n in range(4)]
)


def _chosen(*item_ids: str) -> list[tuple[Candidate, int]]:
    return [(Candidate(COURSE[i].item, COURSE[i].exercise, "new", 1.0), 2) for i in item_ids]


def test_one_question_brings_its_group_in_order_where_it_stood() -> None:
    out = with_siblings(_chosen("a2-01-x-0", "a2-01-x-r1-q2", "a2-01-x-1"), [], COURSE, {"a2-01-x-r1-q1"}, 10)
    assert [c.item.id for c, _ in out] == ["a2-01-x-0", *PASSAGE.questions, "a2-01-x-1"]
    assert [c.kind for c, _ in out][1:4] == ["review", "new", "new"]  # q1 was seen before
    assert {day for _, day in out} == {2}


def test_single_items_from_the_end_make_room_for_a_group() -> None:
    chosen = _chosen("a2-01-x-0", "a2-01-x-1", "a2-01-x-r1-q3", "a2-01-x-2")
    out = with_siblings(chosen, [], COURSE, set(), 4)
    assert [c.item.id for c, _ in out] == ["a2-01-x-0", *PASSAGE.questions]
