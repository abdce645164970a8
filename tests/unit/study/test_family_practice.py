"""A family's memory is shared (the first lemma's): a due family is practised once a session, and a right
answer to one member moves its siblings' due dates on; a wrong one does not, nor does a right one move a
sibling's relearning step after a lapse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from learning_api.catalog.documents import Exercise
from learning_api.study.bank import BankItem
from learning_api.study.evidence import DueLoad
from learning_api.study.memory import DEFAULT_PARAMS, RELEARN_AFTER, from_epoch
from learning_api.study.planner import Candidate
from learning_api.study.repository import StateRow
from learning_api.study.scheduling import Scheduler
from learning_api.study.session import one_per_family
from models.memory import AGAIN, GOOD

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


def _item(item_id: str, lemma: str | None) -> BankItem:
    return BankItem(
        item_id, "a1-01-x", 1, "cloze", "A1", "grammar", "home", [lemma] if lemma else [], [], 1.0, -2.9
    )


def _review(item_id: str, lemma: str | None, recall: float, relearning: bool = False) -> Candidate:
    exercise = Exercise(id=item_id, type="cloze", skill="grammar", lemmas=[], answers=["a"])
    return Candidate(_item(item_id, lemma), exercise, "review", 3.0, recall=recall, relearning=relearning)


def _ids(candidates: list[Candidate]) -> list[str]:
    return [c.item.id for c in candidates]


def test_a_due_family_keeps_one_member_a_session() -> None:
    seen = {"maja-1", "maja-2", "maja-3", "kass-1", "loose-1", "loose-2"}
    reviews = [
        _review("maja-1", "maja", 0.85),
        _review("maja-2", "maja", 0.70),
        _review("kass-1", "kass", 0.80),
        _review("loose-1", None, 0.9),
        _review("loose-2", None, 0.9),
    ]
    assert _ids(one_per_family(reviews, seen)) == ["maja-2", "kass-1", "loose-1", "loose-2"]  # lowest recall
    introduced = [*reviews, _review("maja-4", "maja", 0.85)]  # not done yet: it practises the word anew
    assert _ids(one_per_family(introduced, seen)) == ["kass-1", "loose-1", "loose-2", "maja-4"]
    lapsed = [*introduced, _review("maja-3", "maja", 0.97, relearning=True)]  # the promised relearning step
    assert _ids(one_per_family(lapsed, seen)) == ["kass-1", "loose-1", "loose-2", "maja-3"]


def _state(item_id: str, due: datetime) -> StateRow:
    return StateRow(item_id, 5.0, 3.0, NOW - timedelta(days=3), due, 2, 0)


def _due(scheduler: Scheduler, item_id: str) -> datetime:
    """The due date the scheduler counts the item's load on."""
    return from_epoch(float(scheduler.load.epochs[scheduler.load.slots[item_id]]))


def test_a_right_answer_moves_the_siblings_on_and_a_wrong_one_does_not() -> None:
    sibling, other = _state("maja-2", NOW), _state("kass-1", NOW)
    far_sibling = _state("maja-3", NOW + timedelta(days=40))
    lapsed = StateRow("maja-4", 5.0, 0.5, NOW, NOW + RELEARN_AFTER, 3, 1)  # its relearning step
    scheduler = Scheduler(
        params=DEFAULT_PARAMS, families={}, load=DueLoad.of({}),  # type: ignore[arg-type]
        members={"maja": [sibling, far_sibling, lapsed], "kass": [other]},
    )  # fmt: skip
    failed = _state("maja-1", NOW + timedelta(minutes=10))
    scheduler.remember(failed, _item("maja-1", "maja"), AGAIN)
    assert sibling.due == NOW
    answered = failed  # relearnt: the same row, now due in nine days
    answered.due = NOW + timedelta(days=9)
    scheduler.remember(answered, _item("maja-1", "maja"), GOOD)
    assert sibling.due == answered.due and _due(scheduler, "maja-2") == answered.due
    assert scheduler.moved == {"maja-2": sibling}  # for the answer intake to write
    assert far_sibling.due == NOW + timedelta(days=40)  # already later: left alone
    assert lapsed.due == NOW + RELEARN_AFTER  # a right sibling minutes after the lapse is no relearning
    assert other.due == NOW  # another family
