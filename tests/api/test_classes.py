"""Teachers' classes through the HTTP client: join codes, exercise sets, assignments, the report."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar.testing import AsyncTestClient

from learning_api.settings import Settings
from tests.conftest import published_lesson, sign_up


async def test_class_assignment_and_report(
    client: AsyncTestClient, db, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    exercises = await published_lesson(db, settings, tmp_path)
    typed = [e for e in exercises.values() if e.type in ("cloze", "inflect", "translate")][:2]
    teacher, learner, other = (
        await sign_up(client, role="teacher"),
        await sign_up(client),
        await sign_up(client, role="teacher"),
    )
    t, s, o = ({"Authorization": u["auth"]} for u in (teacher, learner, other))

    assert (await client.post("/classes", json={"name": "Eesti keel A1"}, headers=s)).status_code == 403
    made = await client.post("/classes", json={"name": "Eesti keel A1, teisipäeviti"}, headers=t)
    assert made.status_code == 201, made.text
    school_class = made.json()
    assert len(school_class["join_code"]) == 8 and school_class["members"] == 0

    wrong = await client.post("/classes/join", json={"code": "ZZZZZZZZ"}, headers=s)
    assert wrong.status_code == 404 and wrong.json()["errors"][0]["field"] == "code"
    joined = await client.post("/classes/join", json={"code": school_class["join_code"].lower()}, headers=s)
    assert joined.status_code == 201 and joined.json()["members"] == 1 and joined.json()["join_code"] == ""
    again = await client.post("/classes/join", json={"code": school_class["join_code"]}, headers=s)
    assert again.json()["members"] == 1  # joining twice is one membership
    members = (await client.get(f"/classes/{school_class['id']}/members", headers=t)).json()["items"]
    assert [m["email"] for m in members] == [learner["email"]]
    assert (await client.get(f"/classes/{school_class['id']}/members", headers=o)).status_code == 403

    bad_set = await client.post(
        "/exercise-sets", json={"title": "x", "item_ids": ["no-such-item"]}, headers=t
    )
    assert bad_set.status_code == 422 and "no-such-item" in bad_set.json()["detail"]
    made_set = await client.post(
        "/exercise-sets", json={"title": "Kodutöö 1", "item_ids": [e.id for e in typed]}, headers=t
    )
    assert made_set.status_code == 201, made_set.text
    set_id = made_set.json()["id"]
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    late = await client.post(
        f"/classes/{school_class['id']}/assignments", json={"set_id": set_id, "due_at": past}, headers=t
    )
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "due_at"
    due = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    foreign = await client.post(
        f"/classes/{school_class['id']}/assignments", json={"set_id": set_id, "due_at": due}, headers=o
    )
    assert foreign.status_code == 403
    assigned = await client.post(
        f"/classes/{school_class['id']}/assignments", json={"set_id": set_id, "due_at": due}, headers=t
    )
    assert assigned.status_code == 201, assigned.text
    assignment_id = assigned.json()["id"]

    mine = (await client.get("/assignments", headers=s)).json()["items"]
    assert [(a["title"], a["items"], a["done"], a["status"]) for a in mine] == [("Kodutöö 1", 2, 0, "open")]
    detail = (await client.get(f"/assignments/{assignment_id}", headers=s)).json()
    assert [e["id"] for e in detail["exercises"]] == [e.id for e in typed]
    assert all("answers" not in e for e in detail["exercises"])
    assert (await client.get(f"/assignments/{assignment_id}", headers=o)).status_code == 404

    now = datetime.now(UTC).isoformat()
    batch = [{"id": str(uuid.uuid4()), "item_id": e.id, "answered_at": now, "response": e.answers[0],
              "source": "assignment"} for e in typed]  # fmt: skip
    assert (await client.post("/study/answers", json=batch, headers=s)).json()["accepted"] == 2
    assert (await client.get("/assignments", headers=s)).json()["items"][0]["status"] == "done"

    report = (await client.get(f"/classes/{school_class['id']}/report", headers=t)).json()
    (row,) = report["learners"]
    assert row["email"] == learner["email"] and row["answers"] == 2 and row["correct_share"] == 1.0
    assert (row["assignments_done"], row["assignments_total"]) == (1, 1)
    as_csv = await client.get(f"/classes/{school_class['id']}/report", params={"format": "csv"}, headers=t)
    assert as_csv.headers["content-type"].startswith("text/csv")
    (line,) = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert line["email"] == learner["email"] and line["assignments_done"] == "1"
    classes = (await client.get("/classes", headers=s)).json()["items"]
    assert [c["name"] for c in classes] == ["Eesti keel A1, teisipäeviti"]


async def test_teacher_manages_sets_assignments_and_members(
    client: AsyncTestClient, db, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """List, edit and delete sets and assignments, remove a learner, a report for a chosen period; work
    from a phone whose clock is a little behind counts, older offline work uploaded later does not."""
    exercises = await published_lesson(db, settings, tmp_path)
    typed = [e for e in exercises.values() if e.type in ("cloze", "inflect", "translate")][:3]
    teacher, other = await sign_up(client, role="teacher"), await sign_up(client, role="teacher")
    slow, late, leaver = await sign_up(client), await sign_up(client), await sign_up(client)
    t, o = {"Authorization": teacher["auth"]}, {"Authorization": other["auth"]}
    school_class = (await client.post("/classes", json={"name": "B-rühm"}, headers=t)).json()
    for learner in (slow, late, leaver):
        joined = await client.post(
            "/classes/join",
            json={"code": school_class["join_code"]},
            headers={"Authorization": learner["auth"]},
        )
        assert joined.status_code == 201
    base = f"/classes/{school_class['id']}"

    made = await client.post(
        "/exercise-sets", json={"title": "Kodutöö", "item_ids": [typed[0].id]}, headers=t
    )
    set_id = made.json()["id"]
    assert [s["id"] for s in (await client.get("/exercise-sets", headers=t)).json()["items"]] == [set_id]
    assert (await client.get("/exercise-sets", headers=o)).json()["items"] == []
    assert (await client.get(f"/exercise-sets/{set_id}", headers=o)).status_code == 404
    edited = await client.patch(
        f"/exercise-sets/{set_id}",
        json={"title": "Kodutöö 2", "item_ids": [e.id for e in typed[:2]]},
        headers=t,
    )
    assert edited.status_code == 200 and edited.json()["item_ids"] == [e.id for e in typed[:2]]
    bad = await client.patch(f"/exercise-sets/{set_id}", json={"item_ids": ["no-such"]}, headers=t)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "item_ids"

    due = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    assigned = await client.post(f"{base}/assignments", json={"set_id": set_id, "due_at": due}, headers=t)
    assignment_id = assigned.json()["id"]
    assert (await client.delete(f"/exercise-sets/{set_id}", headers=t)).status_code == 409  # still assigned

    set_at = datetime.now(UTC)
    for learner, answered in ((slow, set_at - timedelta(seconds=40)), (late, set_at - timedelta(days=1))):
        batch = [{"id": str(uuid.uuid4()), "item_id": e.id, "answered_at": answered.isoformat(),
                  "response": e.answers[0]} for e in typed[:2]]  # fmt: skip
        r = await client.post("/study/answers", json=batch, headers={"Authorization": learner["auth"]})
        assert r.json()["accepted"] == 2, r.text
    progress = (await client.get(f"{base}/assignments", headers=t)).json()["items"]
    assert [(a["id"], a["learners_done"], a["learners_total"]) for a in progress] == [(assignment_id, 1, 3)]
    assert (await client.get(f"{base}/assignments", headers=o)).status_code == 403

    later = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    moved = await client.patch(f"{base}/assignments/{assignment_id}", json={"due_at": later}, headers=t)
    assert moved.status_code == 200 and moved.json()["due_at"].startswith(later[:16])
    assert (
        await client.patch(f"{base}/assignments/{assignment_id}", json={"due_at": later}, headers=o)
    ).status_code == 403

    period = {
        "since": (set_at - timedelta(hours=2)).isoformat(),
        "until": (set_at + timedelta(hours=1)).isoformat(),
    }
    rows = {
        r["email"]: r
        for r in (await client.get(f"{base}/report", params=period, headers=t)).json()["learners"]
    }
    assert rows[slow["email"]]["answers"] == 2 and rows[late["email"]]["answers"] == 0  # a day earlier
    assert rows[slow["email"]]["assignments_done"] == 1 and rows[late["email"]]["assignments_done"] == 0
    backwards = await client.get(
        f"{base}/report", params={"since": period["until"], "until": period["since"]}, headers=t
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "since"

    assert (await client.delete(f"{base}/members/{leaver['id']}", headers=o)).status_code == 403
    assert (await client.delete(f"{base}/members/{leaver['id']}", headers=t)).status_code == 204
    assert (await client.delete(f"{base}/members/{leaver['id']}", headers=t)).status_code == 404
    members = (await client.get(f"{base}/members", headers=t)).json()["items"]
    assert {m["email"] for m in members} == {slow["email"], late["email"]}

    assert (await client.delete(f"{base}/assignments/{assignment_id}", headers=t)).status_code == 204
    assert (await client.get(f"{base}/assignments", headers=t)).json()["items"] == []
    assert (await client.delete(f"/exercise-sets/{set_id}", headers=t)).status_code == 204
    assert (await client.get(f"/exercise-sets/{set_id}", headers=t)).status_code == 404


async def test_assignment_for_named_learners_and_from_a_start_date(
    client: AsyncTestClient, db, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    exercises = await published_lesson(db, settings, tmp_path)
    item = next(iter(exercises))
    teacher, named, other = (
        await sign_up(client, role="teacher"),
        await sign_up(client),
        await sign_up(client),
    )
    stranger = await sign_up(client)
    t = {"Authorization": teacher["auth"]}
    made = (await client.post("/classes", json={"name": "Väike rühm"}, headers=t)).json()
    for learner in (named, other):
        await client.post(
            "/classes/join", json={"code": made["join_code"]}, headers={"Authorization": learner["auth"]}
        )
    set_id = (
        await client.post("/exercise-sets", json={"title": "Lisatöö", "item_ids": [item]}, headers=t)
    ).json()["id"]
    now = datetime.now(UTC)
    due = (now + timedelta(days=7)).isoformat()
    base = f"/classes/{made['id']}/assignments"

    outsider = await client.post(
        base, json={"set_id": set_id, "due_at": due, "learner_ids": [stranger["id"]]}, headers=t
    )
    assert outsider.status_code == 422 and outsider.json()["errors"][0]["field"] == "learner_ids"
    late_start = await client.post(base, json={"set_id": set_id, "due_at": due, "starts_at": due}, headers=t)
    assert late_start.status_code == 422 and late_start.json()["errors"][0]["field"] == "starts_at"
    started = {"set_id": set_id, "due_at": due, "starts_at": (now - timedelta(minutes=1)).isoformat(),
               "learner_ids": [named["id"]]}  # fmt: skip
    assert (await client.post(base, json=started, headers=t)).status_code == 201
    later = {"set_id": set_id, "due_at": due, "starts_at": (now + timedelta(days=2)).isoformat()}
    assert (await client.post(base, json=later, headers=t)).status_code == 201

    def seen(user):  # type: ignore[no-untyped-def]
        return client.get("/assignments", headers={"Authorization": user["auth"]})

    assert [a["title"] for a in (await seen(named)).json()["items"]] == ["Lisatöö"]  # the started one
    assert (await seen(other)).json()["items"] == []  # not named, and the class-wide one has not started
    progress = {
        a["starts_at"] is not None and a["learner_ids"] != []: a
        for a in (await client.get(base, headers=t)).json()["items"]
    }
    assert progress[True]["learners_total"] == 1 and progress[True]["learner_ids"] == [named["id"]]
    assert progress[False]["learners_total"] == 2
    rows = {
        r["email"]: r
        for r in (await client.get(f"/classes/{made['id']}/report", headers=t)).json()["learners"]
    }
    assert rows[named["email"]]["assignments_total"] == 2 and rows[other["email"]]["assignments_total"] == 1
