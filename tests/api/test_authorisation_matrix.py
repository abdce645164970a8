"""The authorisation matrix: every API route called as every kind of caller, and each answer checked.

Callers: anonymous, a learner, another learner, the learner's teacher, a teacher of another class, a
counsellor the learner shares with, a counsellor they do not, an author, an admin. Resources (a class
with the learner in it, a set, an assignment, a placement test, a published lesson, a share) belong to
the learner and their teacher, so "another" caller must be refused: 401 without a token, 403 for the
wrong role, 404 where even saying the thing exists would tell too much. Allowed callers must get through
(GET: 200; writes: anything but 401/403, since the matrix sends no valid body). A route missing from the
table fails the test, so a new route cannot skip the matrix.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from learning_api.settings import Settings
from learning_api.storage import open_store
from models.exam import EXAM_PARTS
from tests.api.exam_fixture import insert_exam
from tests.api.test_bad_input import _routes
from tests.api.test_submissions import WRITING_SCORES, production_lesson
from tests.conftest import published_lesson, sign_up

ACTORS = (
    "anonymous",
    "learner",
    "other_learner",
    "teacher",
    "other_teacher",
    "counsellor",
    "other_counsellor",
    "author",
    "admin",
)
USERS = frozenset(ACTORS) - {"anonymous"}
PUBLIC = frozenset(ACTORS)
TEACHERS = frozenset({"teacher", "other_teacher", "admin"})
OWNER_TEACHER = frozenset({"teacher", "admin"})
AUTHORS = frozenset({"author", "admin"})
ADMIN = frozenset({"admin"})
SELF = frozenset({"learner"})  # the learner's own resource: nobody else, admin included
COUNSELLORS = frozenset({"counsellor", "other_counsellor", "admin"})
SHARED = frozenset({"counsellor"})

# (method, path) -> who gets through. Writes that would destroy what later rows need are checked for the
# refused callers only (DESTRUCTIVE); the functional tests cover the allowed ones.
MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/ready"): PUBLIC,
    ("POST", "/auth/register"): PUBLIC,
    ("POST", "/auth/login"): PUBLIC,
    ("POST", "/auth/refresh"): PUBLIC,  # the refresh token in the body is the credential
    ("POST", "/auth/logout"): USERS,
    ("GET", "/me"): USERS,
    ("DELETE", "/me"): USERS,
    ("GET", "/me/profile"): USERS,
    ("POST", "/me/password"): USERS,
    ("PATCH", "/me/profile"): USERS,
    ("GET", "/me/export"): USERS,
    ("GET", "/me/counsellors"): USERS,
    ("POST", "/me/counsellors"): USERS,
    ("DELETE", "/me/counsellors/{counsellor_id:uuid}"): SELF,
    ("PUT", "/users/{user_id:uuid}/role"): ADMIN,
    ("GET", "/catalog/courses"): USERS,
    ("GET", "/catalog/courses/{course_id:str}/lessons"): USERS,
    ("GET", "/catalog/lessons/{lesson_id:str}"): USERS,
    ("GET", "/catalog/lessons/{lesson_id:str}/versions/{version:int}/{lang:str}"): USERS,
    ("GET", "/catalog/items/{item_id:str}"): USERS,
    ("GET", "/catalog/media/{name:str}"): PUBLIC,  # course media by content name: nothing personal
    ("GET", "/media/{key:path}"): PUBLIC,
    (
        "PUT",
        "/media/{key:path}",
    ): PUBLIC,  # the local store's presigned upload: the signature is the credential
    ("GET", "/authoring/lessons"): AUTHORS,
    ("POST", "/authoring/lessons"): AUTHORS,
    ("POST", "/authoring/lessons/validate"): AUTHORS,
    ("GET", "/authoring/lessons/{lesson_id:str}/feedback"): AUTHORS,
    ("GET", "/authoring/lessons/{lesson_id:str}/items"): AUTHORS,
    ("POST", "/authoring/lessons/{lesson_id:str}/publish"): AUTHORS,
    ("POST", "/authoring/lessons/{lesson_id:str}/unpublish"): AUTHORS,
    ("POST", "/items/{item_id:str}/feedback"): USERS,
    ("POST", "/placement"): USERS,
    ("POST", "/placement/skip"): USERS,
    ("GET", "/placement/{placement_id:uuid}"): SELF,
    ("GET", "/placement/{placement_id:uuid}/next"): SELF,
    ("POST", "/placement/{placement_id:uuid}/answer"): SELF,
    ("GET", "/study/session"): USERS,
    ("POST", "/study/answers"): USERS,
    ("GET", "/study/dialogues/{group:str}/transcript"): USERS,  # the learner's own answers open it
    ("GET", "/progress"): USERS,
    ("POST", "/exams"): USERS,
    ("GET", "/exams"): USERS,
    ("GET", "/exams/{exam_id:uuid}"): SELF,
    ("POST", "/exams/{exam_id:uuid}/parts/{part:str}/open"): SELF,
    ("POST", "/exams/{exam_id:uuid}/answers"): SELF,
    ("POST", "/exams/{exam_id:uuid}/parts/{part:str}/submit"): SELF,
    ("GET", "/progress/history"): USERS,
    ("GET", "/classes"): USERS,
    ("POST", "/classes"): TEACHERS,
    ("POST", "/classes/join"): USERS,
    ("GET", "/classes/{class_id:uuid}/members"): OWNER_TEACHER,
    ("DELETE", "/classes/{class_id:uuid}/members/{learner_id:uuid}"): OWNER_TEACHER,
    ("GET", "/classes/{class_id:uuid}/report"): OWNER_TEACHER,
    ("GET", "/classes/{class_id:uuid}/assignments"): OWNER_TEACHER,
    ("POST", "/classes/{class_id:uuid}/assignments"): OWNER_TEACHER,
    ("PATCH", "/classes/{class_id:uuid}/assignments/{assignment_id:uuid}"): OWNER_TEACHER,
    ("DELETE", "/classes/{class_id:uuid}/assignments/{assignment_id:uuid}"): OWNER_TEACHER,
    ("GET", "/exercise-sets"): TEACHERS,
    ("POST", "/exercise-sets"): TEACHERS,
    ("GET", "/exercise-sets/{set_id:uuid}"): OWNER_TEACHER,
    ("PATCH", "/exercise-sets/{set_id:uuid}"): OWNER_TEACHER,
    ("DELETE", "/exercise-sets/{set_id:uuid}"): OWNER_TEACHER,
    ("GET", "/assignments"): USERS,
    ("GET", "/assignments/{assignment_id:uuid}"): SELF,
    ("GET", "/counsellor/learners"): COUNSELLORS,
    ("GET", "/counsellor/learners/{learner_id:uuid}"): SHARED,
    ("GET", "/submissions"): USERS,
    ("GET", "/submissions/rubric"): USERS,
    ("POST", "/submissions/writing"): USERS,
    ("POST", "/submissions/speaking"): USERS,
    ("GET", "/submissions/{submission_id:uuid}"): SELF,
    ("POST", "/submissions/{submission_id:uuid}/confirm"): SELF,
    ("POST", "/submissions/{submission_id:uuid}/self-assessment"): SELF,
    ("GET", "/scoring/submissions"): TEACHERS,
    ("GET", "/scoring/submissions/{submission_id:uuid}"): OWNER_TEACHER,
    ("POST", "/scoring/submissions/{submission_id:uuid}/score"): OWNER_TEACHER,
    ("GET", "/reports/impact"): ADMIN,
    ("GET", "/admin/models"): ADMIN,
}
DESTRUCTIVE = {
    ("DELETE", "/me"),
    ("POST", "/auth/logout"),
    ("DELETE", "/me/counsellors/{counsellor_id:uuid}"),
    ("DELETE", "/classes/{class_id:uuid}/members/{learner_id:uuid}"),
    ("DELETE", "/classes/{class_id:uuid}/assignments/{assignment_id:uuid}"),
    ("DELETE", "/exercise-sets/{set_id:uuid}"),
    ("PUT", "/users/{user_id:uuid}/role"),
    ("POST", "/authoring/lessons/{lesson_id:str}/unpublish"),
    ("POST", "/authoring/lessons/{lesson_id:str}/publish"),
}
# Allowed GETs whose target the matrix cannot make real (media by name): allowed means "not 401/403".
# A transcript opens only for a learner who answered its dialogue (tests/api/test_comprehension.py).
NOT_MADE = {
    ("GET", "/catalog/media/{name:str}"),
    ("GET", "/media/{key:path}"),
    ("GET", "/study/dialogues/{group:str}/transcript"),
}
# a learner's text, handed in to the task of a lesson with writing and speaking: what the submission
# and scoring routes are called on
TEXT = "Tere, õde! Minu kodu on Tartus. Ma elan seal hästi."


@pytest.fixture
async def world(client: AsyncTestClient, db, settings: Settings, tmp_path: Path) -> dict:  # type: ignore[no-untyped-def, type-arg]
    exercises = await published_lesson(db, settings, tmp_path)
    item = next(iter(exercises.values()))
    lesson_id = item.id.rsplit("-", 1)[0]
    roles = {actor: actor.removeprefix("other_") for actor in USERS}  # other_teacher is a teacher, ...
    users = {name: await sign_up(client, role=role) for name, role in roles.items()}
    auth = {name: {"Authorization": u["auth"]} for name, u in users.items()}
    auth["anonymous"] = {}
    made = (await client.post("/classes", json={"name": "Maatriks"}, headers=auth["teacher"])).json()
    await client.post("/classes/join", json={"code": made["join_code"]}, headers=auth["learner"])
    exercise_set = (
        await client.post(
            "/exercise-sets", json={"title": "M", "item_ids": [item.id]}, headers=auth["teacher"]
        )
    ).json()
    due = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    assignment = (
        await client.post(
            f"/classes/{made['id']}/assignments", json={"set_id": exercise_set["id"], "due_at": due},
            headers=auth["teacher"],
        )
    ).json()  # fmt: skip
    placement = (await client.post("/placement", headers=auth["learner"])).json()
    shared = await client.post(
        "/me/counsellors", json={"counsellor_email": users["counsellor"]["email"]}, headers=auth["learner"]
    )
    assert shared.status_code == 201, shared.text
    course = (await client.get(f"/catalog/lessons/{lesson_id}", headers=auth["learner"])).json()
    tasks = await production_lesson(db, open_store(settings.object_store_url), tmp_path)
    handed_in = await client.post(
        "/submissions/writing", json={"item_id": f"{tasks}-08", "text": TEXT}, headers=auth["learner"]
    )
    assert handed_in.status_code == 201, handed_in.text
    exam_id = await insert_exam(db, users["learner"]["id"], {part: [[item.id]] for part in EXAM_PARTS})
    params = {
        "class_id": made["id"],
        "assignment_id": assignment["id"],
        "set_id": exercise_set["id"],
        "learner_id": users["learner"]["id"],
        "user_id": users["other_learner"]["id"],
        "placement_id": placement["id"],
        "exam_id": exam_id,
        "part": "listening",
        "counsellor_id": users["counsellor"]["id"],
        "lesson_id": lesson_id,
        "course_id": course.get("course", "eesti-test"),
        "item_id": item.id,
        "version": "1",
        "lang": "en",
        "name": "no-such-media.ogg",
        "key": "media/no-such",
        "group": "no-such-dialogue",
        "submission_id": handed_in.json()["id"],
    }
    bodies = {  # valid shapes, so the answer shows who may call, not that the body was wrong
        ("POST", "/placement/{placement_id:uuid}/answer"): {"item_id": item.id, "response": "tere"},
        ("POST", "/classes/{class_id:uuid}/assignments"): {"set_id": exercise_set["id"], "due_at": due},
        ("PATCH", "/classes/{class_id:uuid}/assignments/{assignment_id:uuid}"): {"due_at": due},
        ("PATCH", "/exercise-sets/{set_id:uuid}"): {"title": "Maatriks 2"},
        ("POST", "/submissions/{submission_id:uuid}/self-assessment"): {"scores": WRITING_SCORES},
        ("POST", "/scoring/submissions/{submission_id:uuid}/score"): {"scores": WRITING_SCORES},
        ("POST", "/exams"): {"id": str(uuid.uuid4()), "level": "A2"},
        ("POST", "/exams/{exam_id:uuid}/answers"): {"item_id": item.id, "response": "tere"},
    }
    return {"auth": auth, "params": params, "bodies": bodies}


def _path(template: str, params: dict[str, str]) -> str:
    out = template
    for name, value in params.items():
        for kind in ("uuid", "str", "int", "path"):
            out = out.replace(f"{{{name}:{kind}}}", str(value))
    assert "{" not in out, f"no value for a parameter of {template}"
    return out


async def test_every_route_against_every_caller(client: AsyncTestClient, app: Litestar, world: dict) -> None:  # type: ignore[type-arg]
    routes = {r for r in _routes(app) if not r[1].startswith("/dashboard")}
    assert routes - set(MATRIX) == set(), "routes missing from the authorisation matrix"
    assert set(MATRIX) - routes == set(), "the matrix names routes the app no longer has"
    failures = []
    for (method, template), allowed in sorted(MATRIX.items(), key=lambda kv: kv[0] in DESTRUCTIVE):
        url = _path(template, world["params"])
        for actor in ACTORS:
            if actor in allowed and (method, template) in DESTRUCTIVE:
                continue
            body = world["bodies"].get((method, template), {}) if method in ("POST", "PUT", "PATCH") else None
            r = await client.request(method, url, json=body, headers=world["auth"][actor])
            if actor in allowed:
                wanted = "not 401/403" if method != "GET" or (method, template) in NOT_MADE else "200"
                ok = r.status_code not in (401, 403) if wanted != "200" else r.status_code == 200
            else:
                wanted = "401" if actor == "anonymous" and allowed != PUBLIC else "403/404"
                ok = r.status_code == 401 if wanted == "401" else r.status_code in (403, 404)
            if not ok:
                failures.append(f"{method} {template} as {actor}: {r.status_code}, wanted {wanted}")
    assert not failures, "\n".join(failures)
