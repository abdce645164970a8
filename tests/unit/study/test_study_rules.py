"""The rules around the models that the study and progress services apply, on hand-made rows."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from learning_api.db.tables import Ability, ReviewState
from learning_api.progress.plan import weekly_plan
from learning_api.progress.readiness import UNMEASURED_SE_FACTOR, current, trend
from learning_api.progress.service import streak
from learning_api.study.memory import (
    RELEARN_AFTER,
    answer_weight,
    apply_review,
    from_epoch,
    good_intervals,
    update_ability,
)
from learning_api.study.planner import skill_weights
from learning_api.study.session import end_of_day
from models.ability import SKILLS
from models.readiness import Readiness

LEARNER = uuid.uuid4()
NOW = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)  # 23:30 in Tallinn


def ability(skill: str, theta: float, se: float, answers: int) -> Ability:
    return Ability(learner_id=LEARNER, skill=skill, theta=theta, se=se, n_answers=answers, posterior=[])


def test_end_of_day_is_local_midnight() -> None:
    assert end_of_day(NOW, "Europe/Tallinn") == datetime(2026, 11, 25, 22, 0, tzinfo=UTC)
    assert end_of_day(NOW, "UTC") == datetime(2026, 11, 26, 0, 0, tzinfo=UTC)


def test_streak_counts_back_from_today_or_yesterday() -> None:
    today = date(2026, 11, 25)
    days = {today - timedelta(days=k) for k in (1, 2, 3, 5)}
    assert streak(days, today) == 3  # today still to come: yesterday's run counts
    assert streak(days | {today}, today) == 4
    assert streak({today - timedelta(days=2)}, today) == 0


def test_a_wrong_answer_comes_back_sooner_than_a_right_one() -> None:
    first = NOW - timedelta(days=3)
    row = ReviewState(difficulty=5.0, stability=3.0, last_review=first, reps=1, lapses=0)
    *_, due_good = apply_review(row, 3, NOW)
    *_, due_again = apply_review(row, 1, NOW)
    assert due_again == NOW + RELEARN_AFTER < due_good  # a lapse is relearned the same day
    # an offline answer older than the last review does not move time backwards
    _, _, last, reps, _, _ = apply_review(row, 3, first - timedelta(days=1))
    assert last == first and reps == 2


def test_cold_start_gives_a_hard_item_a_shorter_first_interval_and_more_difficulty() -> None:
    hard, usual, easy = good_intervals([None] * 3, NOW, first_p=[0.3, 0.75, 0.97])
    assert hard < usual < easy
    d_hard, *_ = apply_review(None, 3, NOW, first_p=0.3)
    d_usual, *_ = apply_review(None, 3, NOW, first_p=0.75)
    d_plain, *_ = apply_review(None, 3, NOW)
    assert d_hard > d_usual == pytest.approx(d_plain)


def test_only_first_attempts_move_ability_and_self_grades_count_half() -> None:
    assert answer_weight(True, False) > answer_weight(True, True) > answer_weight(False, False) == 0
    fresh, review = ability("grammar", -2, 1, 0), ability("grammar", -2, 1, 0)
    update_ability(fresh, 1.0, -1.0, True, NOW, weight=answer_weight(True, False))
    update_ability(review, 1.0, -1.0, True, NOW, weight=answer_weight(False, False))
    assert fresh.theta > -2.0 and review.theta == -2.0
    assert fresh.n_answers == 1 and review.n_answers == 0 and review.posterior == []
    assert len(fresh.posterior) > 50


def test_a_lucky_pick_among_three_moves_ability_less_than_a_typed_answer() -> None:
    typed, picked = ability("vocabulary", -2, 1, 0), ability("vocabulary", -2, 1, 0)
    update_ability(typed, 1.0, -1.0, True, NOW)
    update_ability(picked, 1.0, -1.0, True, NOW, guess=1 / 3)
    assert typed.theta > picked.theta > -2.0


def test_unmeasured_skills_are_estimated_from_measured_ones() -> None:
    rows = [
        ability("vocabulary", -0.5, 0.3, 40),
        ability("grammar", -1.5, 0.4, 20),
        ability("reading", -2, 1, 0),
    ]
    theta, se = current(rows)
    assert theta[SKILLS.index("vocabulary")] == -0.5
    assert theta[SKILLS.index("reading")] == pytest.approx(-1.0)
    assert se[SKILLS.index("listening")] == pytest.approx(UNMEASURED_SE_FACTOR * 0.4)
    theta0, _ = current([])
    assert np.all(theta0 == theta0[0])


def test_trend_fills_days_without_inventing_growth() -> None:
    snaps = [
        ("2026-11-20", "vocabulary", -2.0, 0.5),
        ("2026-11-22", "vocabulary", -1.6, 0.4),
        ("2026-11-22", "grammar", -1.9, 0.5),
        ("2026-11-21", "a-skill-no-longer-kept", 3.0, 0.1),  # its day counts; its value does not
    ]
    history = trend(snaps, np.full(len(SKILLS), -1.0), np.full(len(SKILLS), 0.9))
    assert history is not None and len(history.times) == 3
    g, v = SKILLS.index("grammar"), SKILLS.index("vocabulary")
    assert history.theta[0, g] == history.theta[1, g] == -1.9  # before its first snapshot: that value
    assert history.theta[2, v] == -1.6 and history.se[2, v] == 0.4
    assert history.theta[1, v] == -2.0  # a day without its snapshot carries the day before's
    assert history.se[0, SKILLS.index("reading")] == 0.9
    assert trend(snaps[:1], np.zeros(len(SKILLS)), np.ones(len(SKILLS))) is None


def test_skill_weights_favour_the_skill_that_helps_most() -> None:
    w = skill_weights([0.0, 0.1, 0.0, 0.3, 0.0])
    assert w.argmax() == 3 and w.min() > 0
    assert np.allclose(skill_weights([0, 0, 0, 0, 0]), 0.2)


def test_plan_names_a_skill_the_course_can_train() -> None:
    ready = Readiness(level="A2", probability=0.3, probability_low=0.1, probability_high=0.5,
                      weakest_skill="reading", skill_gains=[0.05, 0.02, 0.2, 0.04, 0.01],
                      expected_part_points=[], forecast_date=None, forecast_earliest=None,
                      forecast_latest=None, notes=[])  # fmt: skip
    plan = weekly_plan("en", ready, 3, 10, "Minu pere", 0, 15, practisable={"vocabulary", "grammar"})
    assert plan[0].focus == "Practise vocabulary" and "5.0" in plan[0].why
    assert any("Minu pere" in p.focus for p in plan) and any("3 today" in p.focus for p in plan)
    ru = weekly_plan("ru", ready, 0, 0, None, 5, 15, practisable={"grammar"})
    assert len(ru) == 1 and "грамматика" in ru[0].focus


def test_a_due_date_moves_to_the_lightest_day_of_the_planners_window() -> None:
    from learning_api.study.evidence import DueLoad
    from learning_api.study.memory import DEFAULT_PARAMS
    from learning_api.study.scheduling import Scheduler

    busy = {f"busy-{k}": NOW + timedelta(days=10, hours=1) for k in range(15)}
    lighter = {f"some-{k}": NOW + timedelta(days=11, hours=1) for k in range(3)}
    load = DueLoad.of({**busy, **lighter})
    scheduler = Scheduler(params=DEFAULT_PARAMS, families={}, load=load)  # type: ignore[arg-type]
    assert scheduler.smoothed("x", NOW, NOW + timedelta(days=10)) == NOW + timedelta(days=9)
    assert scheduler.smoothed("x", NOW, NOW + timedelta(days=2)) == NOW + timedelta(days=2)  # no window
    far = NOW + timedelta(days=200)
    assert scheduler.smoothed("x", NOW, far) == far  # beyond the horizon: as the memory model says


def test_a_batch_of_reviews_moves_memory_as_one_answer_at_a_time_does() -> None:
    """Offline batches are applied a round at a time (each item once per memory-model call): the states,
    due dates and the load smoothing between them are those of applying the answers one by one."""
    from learning_api.modelling.params import CurrentParams
    from learning_api.study.evidence import DueLoad
    from learning_api.study.memory import MemoryParams
    from learning_api.study.params import LiveParams
    from learning_api.study.scheduling import Scheduler

    rng = np.random.default_rng(5)
    start = {
        f"item-{k}": ReviewState(
            difficulty=float(rng.uniform(2, 8)), stability=float(rng.uniform(0.5, 40)),
            last_review=NOW - timedelta(days=float(rng.uniform(0, 30))), reps=3, lapses=1,
        )
        for k in range(12)
    }  # fmt: skip
    answers = [
        (f"item-{int(rng.integers(12))}", int(rng.integers(1, 5)), NOW + timedelta(minutes=k))
        for k in range(80)
    ]
    params = LiveParams(MemoryParams(), CurrentParams())

    def copy(row: ReviewState) -> ReviewState:
        return ReviewState(
            difficulty=row.difficulty, stability=row.stability, last_review=row.last_review,
            reps=row.reps, lapses=row.lapses,
        )  # fmt: skip

    one = Scheduler(params=params, families={}, load=DueLoad.of({}))
    rows = {i: copy(r) for i, r in start.items()}
    expected = []
    for item_id, grade, at in answers:
        review = one.settle(item_id, grade, apply_review(rows[item_id], grade, at, params.memory))
        rows[item_id].difficulty, rows[item_id].stability, rows[item_id].last_review = review[:3]
        rows[item_id].reps, rows[item_id].lapses = review[3:5]
        expected.append(review)

    batch = Scheduler(params=params, families={}, load=DueLoad.of({}))
    rows = {i: copy(r) for i, r in start.items()}
    moved = batch.reviews_of_known([(rows[i], i, grade, at) for i, grade, at in answers])
    got = [batch.settle(i, grade, review) for (i, grade, _), review in zip(answers, moved, strict=True)]
    for want, have in zip(expected, got, strict=True):
        assert np.allclose(want[:2], have[:2], rtol=1e-9) and want[2:] == have[2:]


def test_the_load_smoothing_counts_every_due_date_the_scheduler_moved() -> None:
    """A right answer moves the family's other members on to its due date: the load the next answers are
    smoothed over counts them there, as a scheduler made afresh from the same due dates does."""
    from learning_api.db.tables import Item
    from learning_api.study.evidence import DueLoad
    from learning_api.study.memory import DEFAULT_PARAMS
    from learning_api.study.repository import StateRow
    from learning_api.study.scheduling import Scheduler

    sibling = StateRow("maja-2", 5.0, 3.0, NOW - timedelta(days=3), NOW + timedelta(days=1), 2, 0)
    crowd = {f"busy-{k}": NOW + timedelta(days=9, hours=1) for k in range(6)}
    dues = {**crowd, "maja-2": sibling.due}
    scheduler = Scheduler(DEFAULT_PARAMS, {}, DueLoad.of(dues), {"maja": [sibling]})  # type: ignore[arg-type]
    answered = StateRow("maja-1", 5.0, 9.0, NOW, NOW + timedelta(days=10), 3, 0)
    scheduler.remember(answered, Item(id="maja-1", lemmas=["maja"]), 3)
    assert sibling.due == answered.due and scheduler.moved == {"maja-2": sibling}
    slots, epochs = scheduler.load.slots, scheduler.load.epochs
    moved = {item_id: from_epoch(float(epochs[slot])) for item_id, slot in slots.items()}
    fresh = Scheduler(DEFAULT_PARAMS, {}, DueLoad.of(moved))  # type: ignore[arg-type]
    for days in range(4, 14):
        due = NOW + timedelta(days=days)
        assert scheduler.smoothed("x", NOW, due) == fresh.smoothed("x", NOW, due)
