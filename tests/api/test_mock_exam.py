"""The mock exam's clock, answers and scoring through the API, on an exam made from the starter lessons'
items (the assembly from exam-type content is tested end to end in tests/integration/exams)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import select

from learning_api.db.tables import Ability
from learning_api.exams.scoring import GRACE
from tests.api.adaptive_fixture import Course, course, headers, user  # noqa: F401
from tests.api.exam_fixture import insert_exam


def _ids(course: Course, kind: str, n: int) -> list[str]:  # noqa: F811
    return [i for i, e in course.exercises.items() if e.type == kind][:n]


async def _exam(course: Course, learner: dict[str, str]) -> str:  # noqa: F811
    choices = _ids(course, "choice", 4)
    return await insert_exam(
        course.db,
        learner["id"],
        {"listening": [choices[:2]], "reading": [[choices[2]], [choices[3]]], "writing": [], "speaking": []},
    )


async def test_a_machine_part_is_timed_answered_and_scored_at_submit(course: Course) -> None:  # noqa: F811
    learner = await user(course, target_level="A2")
    auth = headers(learner)
    exam_id = await _exam(course, learner)
    first, second = _ids(course, "choice", 2)
    url = f"/exams/{exam_id}"

    r = await course.client.post(f"{url}/answers", json={"item_id": first, "response": "x"}, headers=auth)
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "item_id"  # the part is not open

    opened = await course.client.post(f"{url}/parts/listening/open", headers=auth)
    assert opened.status_code == 200, opened.text
    part = opened.json()["parts"][0]
    assert part["status"] == "open" and part["time_limit_minutes"] == 30
    assert [[i["item_id"] for i in g] for g in part["groups"]] == [[first, second]]
    assert all(not {"answers", "expected", "correct"} & set(i["exercise"]) for i in part["groups"][0])
    again = await course.client.post(f"{url}/parts/listening/open", headers=auth)  # idempotent
    assert again.json()["parts"][0]["deadline"] == part["deadline"]
    busy = await course.client.post(f"{url}/parts/reading/open", headers=auth)
    assert busy.status_code == 409 and "listening" in busy.json()["detail"]

    right = course.exercises[first].answers[0]
    for response in ("xyzzy", right):  # answering again replaces the answer
        r = await course.client.post(
            f"{url}/answers", json={"item_id": first, "response": response}, headers=auth
        )
        assert r.status_code == 200, r.text
        assert "correct" not in r.json()  # shown only when the part closes
    resumed = (await course.client.get(url, headers=auth)).json()["parts"][0]
    assert resumed["answered"] == 1 and resumed["groups"][0][0]["response"] == right
    assert resumed["groups"][0][0].get("correct") is None

    done = await course.client.post(f"{url}/parts/listening/submit", headers=auth)
    assert done.status_code == 200, done.text
    listening = done.json()["parts"][0]
    assert (listening["status"], listening["correct"], listening["points"]) == ("submitted", 1, 13)
    assert [i["correct"] for i in listening["groups"][0]] == [True, False]
    assert done.json()["result"]["points"]["listening"] == 13
    assert done.json()["result"]["passed"] is None  # other parts to come
    resubmit = await course.client.post(f"{url}/parts/listening/submit", headers=auth)
    assert resubmit.json()["parts"][0]["points"] == 13
    listed = (await course.client.get("/exams", headers=auth)).json()
    assert [(e["id"], e["status"], e["result"]["points"]["listening"]) for e in listed] == [
        (exam_id, "running", 13)
    ]
    assert listed[0]["result"]["to_take"] == ["reading", "writing", "speaking"]
    late = await course.client.post(f"{url}/answers", json={"item_id": first, "response": "x"}, headers=auth)
    assert late.status_code == 409

    async with course.db() as session:
        listening_ability = await session.scalar(
            select(Ability).where(
                Ability.learner_id == uuid.UUID(learner["id"]), Ability.skill == "listening"
            )
        )
    assert listening_ability is not None and listening_ability.n_answers == 1
    readiness = (await course.client.get("/progress", headers=auth)).json()["readiness"]
    measured = {p["part"]: p["measured"] for p in readiness["parts"]}
    assert measured == {"listening": True, "reading": False, "writing": False, "speaking": False}


async def test_the_server_clock_closes_a_part_and_refuses_late_answers(course: Course) -> None:  # noqa: F811
    learner = await user(course)
    auth = headers(learner)
    exam_id = await _exam(course, learner)
    url = f"/exams/{exam_id}"
    reading = (await course.client.post(f"{url}/parts/reading/open", headers=auth)).json()["parts"][1]
    item = reading["groups"][0][0]["item_id"]
    course.clock.advance(minutes=50, seconds=20)  # past the limit, within the grace
    r = await course.client.post(f"{url}/answers", json={"item_id": item, "response": "x"}, headers=auth)
    assert r.status_code == 200, r.text
    course.clock.advance(seconds=20)  # past the grace
    r = await course.client.post(f"{url}/answers", json={"item_id": item, "response": "x"}, headers=auth)
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "item_id"
    part = (await course.client.get(url, headers=auth)).json()["parts"][1]
    assert (part["status"], part["points"], part["correct"]) == ("timed_out", 0, 0)
    closed, deadline = (datetime.fromisoformat(part[k]) for k in ("submitted_at", "deadline"))
    assert closed - deadline == GRACE  # closed by the clock at its deadline and the grace, not when read


async def test_bad_input_and_other_learners_are_refused_naming_the_field(course: Course) -> None:  # noqa: F811
    learner, other = await user(course), await user(course)
    exam_id = await _exam(course, learner)
    url = f"/exams/{exam_id}"
    assert (await course.client.get(url, headers=headers(other))).status_code == 404
    assert (
        await course.client.post(f"{url}/parts/listening/open", headers=headers(other))
    ).status_code == 404
    r = await course.client.post(f"{url}/parts/grammar/open", headers=headers(learner))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "part"
    await course.client.post(f"{url}/parts/listening/open", headers=headers(learner))
    r = await course.client.post(
        f"{url}/answers", json={"item_id": "no-such", "response": "x"}, headers=headers(learner)
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "item_id"
    r = await course.client.post(
        "/exams", json={"id": str(uuid.uuid4()), "level": "C2"}, headers=headers(learner)
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "level"


async def test_a_course_without_the_exam_types_says_which_parts_it_cannot_fill(course: Course) -> None:  # noqa: F811
    learner = await user(course)
    r = await course.client.post(
        "/exams", json={"id": str(uuid.uuid4()), "level": "A2"}, headers=headers(learner)
    )
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["errors"][0]["field"] == "level"
    assert re.search(r"(listening|reading|writing|speaking): \d+ of the \d+ \w+ items needed", body["detail"])
    listed = await course.client.get("/exams", headers=headers(learner))
    assert listed.status_code == 200 and listed.json() == []
