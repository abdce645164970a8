"""The study rules through the HTTP API on real lessons (SQLite, and PostgreSQL when set): what a session
offers, how an answer is graded and when the item comes back."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from learning_api.db.tables import Ability, ReviewState
from learning_api.study.memory import RELEARN_AFTER
from models.ability import SKILLS, eap, prior_log_density
from tests.api.adaptive_fixture import Course, answer, course, headers, study_session, user

__all__ = ["course"]  # the module-scoped fixture


async def _place(course: Course, account: dict[str, str], theta: float, se: float) -> None:
    """What a finished placement test writes: each skill's posterior, no study answers yet."""
    posterior = prior_log_density(theta, se)
    estimate = eap(posterior)
    async with course.db() as session, session.begin():
        for skill in SKILLS:
            session.add(Ability(learner_id=uuid.UUID(account["id"]), skill=skill, theta=estimate.theta,
                                se=estimate.se, n_answers=0, posterior=posterior.tolist(),
                                updated_at=course.clock.now))  # fmt: skip


async def test_a_learner_placed_at_b1_does_not_start_at_a1(course: Course) -> None:
    beginner, placed = await user(course), await user(course)
    await _place(course, placed, theta=0.9, se=0.3)
    first = [i for i in (await study_session(course, beginner))["items"] if i["kind"] == "new"]
    assert any(i["lesson_id"] == "a1-01-tere" for i in first)
    new = [i for i in (await study_session(course, placed))["items"] if i["kind"] == "new"]
    assert new, "A2 material is still new to a B1 learner"
    assert {i["lesson_id"] for i in new} == {"a2-31-eile"}  # A1 is what placement shows they know
    assert all(i["predicted_success"] < 0.95 for i in new)


async def test_siblings_share_memory_and_a_known_lemma_enters_as_a_review(course: Course) -> None:
    learner = await user(course)
    first = await answer(course, learner, "a1-01-tere-05")  # "aitäh", recalled from Estonian
    same_day = await study_session(course, learner, 40)
    assert "a1-01-tere-22" not in {i["item_id"] for i in same_day["items"]}  # its family is remembered
    course.clock.now = datetime.fromisoformat(first["next_due"]) + timedelta(minutes=1)
    due_day = {i["item_id"]: i for i in (await study_session(course, learner, 40))["items"]}
    sibling = due_day["a1-01-tere-22"]  # "aitäh" asked the other way: the family is due
    assert sibling["kind"] == "review" and sibling["recall"] is not None
    assert "a1-01-tere-05" not in due_day  # the family is practised once, by the exercise not done yet
    await answer(course, learner, "a1-01-tere-22")
    async with course.db() as session:
        rows = {r.item_id: r for r in await session.scalars(
            select(ReviewState).where(ReviewState.learner_id == uuid.UUID(learner["id"])))}  # fmt: skip
    # it started from the family's memory: a successful review of it, not a first answer
    assert rows["a1-01-tere-22"].stability > rows["a1-01-tere-05"].stability
    assert rows["a1-01-tere-22"].reps == 1
    assert rows["a1-01-tere-22"].family == rows["a1-01-tere-05"].family == "aitäh"  # written with the state
    # the word was just recalled: its other exercise is not due before this one
    assert rows["a1-01-tere-05"].due == rows["a1-01-tere-22"].due > course.clock.now + timedelta(days=1)
    later = await study_session(course, learner, 40)
    assert not {"a1-01-tere-05", "a1-01-tere-22"} & {i["item_id"] for i in later["items"]}


async def test_course_order_serves_what_placement_shows_known(course: Course) -> None:
    """A class following the book: a learner in course order meets every exercise in order, the ones
    placement shows they know included (the sibling rule: tests/unit/study/test_selection.py)."""
    adaptive, ordered = await user(course), await user(course, study_order="course")
    me = await course.client.get("/me/profile", headers=headers(ordered))
    assert me.json()["study_order"] == "course"
    for learner in (adaptive, ordered):
        await _place(course, learner, theta=0.9, se=0.3)
    assert {i["lesson_id"] for i in (await study_session(course, adaptive))["items"]} == {"a2-31-eile"}
    new = [i for i in (await study_session(course, ordered))["items"] if i["kind"] == "new"]
    assert new and {i["lesson_id"] for i in new} == {"a1-01-tere"}
    assert all(i["predicted_success"] >= 0.95 for i in new)  # known, and served all the same


async def test_a_fast_right_choice_is_good_not_easy_and_a_lapse_comes_back_today(course: Course) -> None:
    learner = await user(course)
    picked = await answer(course, learner, "a1-01-tere-24", latency_ms=600)  # 3 options, 0.6 s
    assert picked["correct"] and picked["grade"] == 3
    typed = await answer(course, learner, "a1-01-tere-29", latency_ms=600)  # typed, as fast: Easy
    assert typed["grade"] == 4
    wrong = await answer(course, learner, "a1-01-tere-30", right=False)
    assert datetime.fromisoformat(wrong["next_due"]) == course.clock.now + RELEARN_AFTER
    course.clock.advance(minutes=15)
    later = await study_session(course, learner)
    assert {"a1-01-tere-30"} <= {i["item_id"] for i in later["items"] if i["kind"] == "review"}


async def test_teacher_assignments_come_before_new_material(course: Course) -> None:
    teacher, learner = await user(course, "teacher"), await user(course)
    assigned = [i for i, e in course.exercises.items() if i.startswith("a2-31") and e.type == "cloze"][:2]
    made = await course.client.post("/classes", json={"name": "Reede rühm"}, headers=headers(teacher))
    assert made.status_code == 201, made.text
    exercise_set = await course.client.post(
        "/exercise-sets", json={"title": "Eile", "item_ids": assigned}, headers=headers(teacher)
    )
    assert exercise_set.status_code == 201, exercise_set.text
    due = (course.clock.now + timedelta(days=3)).isoformat()
    r = await course.client.post(f"/classes/{made.json()['id']}/assignments",
                                 json={"set_id": exercise_set.json()["id"], "due_at": due},
                                 headers=headers(teacher))  # fmt: skip
    assert r.status_code == 201, r.text
    joined = await course.client.post("/classes/join", json={"code": made.json()["join_code"]},
                                      headers=headers(learner))  # fmt: skip
    assert joined.status_code in (200, 201), joined.text
    new = [i for i in (await study_session(course, learner, 6))["items"] if i["kind"] == "new"]
    assert {i["item_id"] for i in new if i["assigned"]} == set(assigned)  # a beginner, yet A2 first
    assert all(not i["assigned"] for i in new if i["lesson_id"] != "a2-31-eile")
    for item_id in assigned:
        await answer(course, learner, item_id)
    after = [i for i in (await study_session(course, learner, 6))["items"] if i["kind"] == "new"]
    assert not {i["item_id"] for i in after} & set(assigned) and not any(i["assigned"] for i in after)


async def test_session_shows_the_planners_day_and_the_answer_keeps_to_its_window(course: Course) -> None:
    learner = await user(course)
    items = (await study_session(course, learner, 8))["items"]
    assert all(i["comes_back_in_days"] >= 1 for i in items)
    result = await answer(course, learner, items[0]["item_id"])  # answered well (Good)
    days = (datetime.fromisoformat(result["next_due"]) - course.clock.now) / timedelta(days=1)
    assert days == items[0]["comes_back_in_days"]  # nothing else booked: the planner's day holds
