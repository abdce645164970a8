"""The teachers' dashboard through the HTTP client: log-in by cookie, every page's role, a class with
its QR code, a set built by rule and assigned, the report with its charts, the learner's page, the
author's item statistics and the organisation's impact page, in the four interface languages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar.testing import AsyncTestClient

from learning_api.settings import Settings
from tests.conftest import published_lesson, sign_up

DASHBOARD_COOKIE = "keelerada_dashboard"
REFRESH_COOKIE = "keelerada_dashboard_refresh"
PAGES = ("/dashboard", "/dashboard/bank", "/dashboard/submissions", "/dashboard/lessons", "/dashboard/impact")


async def _dashboard_login(client: AsyncTestClient, user: dict[str, str]) -> None:
    client.cookies.clear()
    r = await client.post(
        "/dashboard/login",
        data={"email": user["email"], "password": user["password"]},
        follow_redirects=False,
    )
    assert r.status_code in (302, 303), r.text
    assert DASHBOARD_COOKIE in client.cookies


async def test_pages_need_a_login_and_the_right_role(client: AsyncTestClient) -> None:
    client.cookies.clear()
    for path in PAGES:
        r = await client.get(path, follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"].endswith("/dashboard/login"), path
    login = await client.get("/dashboard/login")
    assert login.status_code == 200 and 'type="password"' in login.text
    wrong = await client.post(
        "/dashboard/login", data={"email": "nobody@example.ee", "password": "vale-parool-1"}
    )
    assert wrong.status_code == 401 and DASHBOARD_COOKIE not in client.cookies
    learner = await sign_up(client)
    await _dashboard_login(client, learner)
    for path in PAGES:
        assert (await client.get(path)).status_code == 403, path
    client.cookies.clear()


async def test_a_teacher_stays_signed_in_when_the_access_token_runs_out(client: AsyncTestClient, db) -> None:  # type: ignore[no-untyped-def]
    """The cookie's access token lives minutes: the refresh cookie renews it and the browser repeats the
    request (307 keeps a posted form); a replayed refresh token signs the dashboard out."""
    from sqlalchemy import update

    from learning_api.db.tables import AuthToken

    teacher = await sign_up(client, role="teacher")
    await _dashboard_login(client, teacher)
    old_access, old_refresh = client.cookies[DASHBOARD_COOKIE], client.cookies[REFRESH_COOKIE]
    async with db() as session, session.begin():
        await session.execute(
            update(AuthToken)
            .where(AuthToken.user_id == uuid.UUID(teacher["id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    renewed = await client.get("/dashboard", follow_redirects=False)
    assert renewed.status_code == 307 and renewed.headers["location"].endswith("/dashboard")
    assert client.cookies[DASHBOARD_COOKIE] != old_access
    assert client.cookies[REFRESH_COOKIE] != old_refresh
    assert (await client.get("/dashboard")).status_code == 200
    # someone replays the old refresh token: that session ends for both
    stolen = {DASHBOARD_COOKIE: "expired", REFRESH_COOKIE: old_refresh}
    client.cookies.clear()
    client.cookies.update(stolen)
    r = await client.get("/dashboard", follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"].endswith("/dashboard/login")
    client.cookies.clear()


async def test_teacher_walk_in_four_languages(
    client: AsyncTestClient, db, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    exercises = await published_lesson(db, settings, tmp_path)
    teacher, learner = await sign_up(client, role="teacher"), await sign_up(client)
    await _dashboard_login(client, teacher)
    made = await client.post("/dashboard/classes", data={"name": "Õhtune rühm"}, follow_redirects=False)
    class_url = made.headers["location"]
    class_id = class_url.rsplit("/", 1)[-1]
    home = await client.get("/dashboard?lang=et")
    assert "Minu rühmad" in home.text and "Õhtune rühm" in home.text and "<svg" in home.text  # the QR code
    code = home.text.split('class="code">', 1)[1].split("<", 1)[0]
    client_cookies = dict(client.cookies)
    client.cookies.clear()
    joined = await client.post(
        "/classes/join", json={"code": code}, headers={"Authorization": learner["auth"]}
    )
    assert joined.status_code == 201
    client.cookies.update(client_cookies)

    due = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    word_item = next(e for e in exercises.values() if e.type in ("cloze", "translate", "inflect"))
    assigned = await client.post(
        "/dashboard/assign",
        data={"class_id": class_id, "rule": "filter", "type": word_item.type, "count": "3", "due_date": due,
              "title": "Kodutöö"},
        follow_redirects=False,
    )  # fmt: skip
    assert assigned.status_code in (302, 303), assigned.text
    mine = (await client.get("/assignments", headers={"Authorization": learner["auth"]})).json()["items"]
    assert [a["title"] for a in mine] == ["Kodutöö"]
    for minutes in (0, 1):  # wrong twice: the class's hardest item
        answer = {"id": str(uuid.uuid4()), "item_id": word_item.id, "response": "vale vastus",
                  "answered_at": (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()}  # fmt: skip
        r = await client.post("/study/answers", json=answer, headers={"Authorization": learner["auth"]})
        assert r.status_code in (200, 201), r.text

    for lang, heading in (("et", "Aruanne"), ("en", "Report"), ("ru", "Отчёт"), ("uk", "Звіт")):
        page = await client.get(f"{class_url}?lang={lang}")
        assert page.status_code == 200 and heading in page.text and f'lang="{lang}"' in page.text
    page = await client.get(f"{class_url}?days=30&lang=en")
    assert page.text.count('class="chart"') >= 4 and word_item.id in page.text  # hardest items include it
    assert learner["email"] in page.text and "Kodutöö" in page.text

    by_rule = await client.post(
        "/dashboard/assign", data={"class_id": class_id, "rule": "hardest", "count": "5", "due_date": due},
        follow_redirects=False,
    )  # fmt: skip
    assert by_rule.status_code in (302, 303)
    learner_page = await client.get(f"{class_url}/learners/{learner['id']}")
    assert learner_page.status_code == 200 and "vale vastus" in learner_page.text
    bank = await client.get(f"/dashboard/bank?type={word_item.type}&class_id={class_id}")
    assert bank.status_code == 200 and word_item.id in bank.text
    client.cookies.clear()


async def test_author_and_admin_pages(
    client: AsyncTestClient, db, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    exercises = await published_lesson(db, settings, tmp_path)
    lesson_id = next(iter(exercises)).rsplit("-", 1)[0]
    await _dashboard_login(client, await sign_up(client, role="author"))
    lessons = await client.get("/dashboard/lessons")
    assert lessons.status_code == 200 and lesson_id in lessons.text
    items = await client.get(f"/dashboard/lessons/{lesson_id}/items")
    assert items.status_code == 200 and all(i in items.text for i in exercises)
    assert (await client.get("/dashboard/impact")).status_code == 403
    await _dashboard_login(client, await sign_up(client, role="admin"))
    impact = await client.get("/dashboard/impact?by=language")
    assert impact.status_code == 200 and "fewer than 10" in impact.text
    client.cookies.clear()


BAD_FORMS = [
    {},
    {"class_id": "not-a-uuid", "due_date": "2030-01-01"},
    {"class_id": str(uuid.uuid4()), "due_date": "2030-01-01"},
    {"class_id": "{class_id}", "due_date": "yesterday"},
    {"class_id": "{class_id}", "due_date": "2001-01-01"},
    {"class_id": "{class_id}", "due_date": "2030-01-01", "count": "many"},
    {"class_id": "{class_id}", "due_date": "2030-01-01", "rule": "filter", "word": "ei-ole-sellist-sõna"},
    {"class_id": "{class_id}", "due_date": "2030-01-01", "item_ids": "no-such-item"},
    {"name": ""},
    {"name": "x" * 500},
    {"name": "ja\u0000h"},
]


async def test_bad_forms_get_4xx_never_500(client: AsyncTestClient) -> None:
    teacher = await sign_up(client, role="teacher")
    await _dashboard_login(client, teacher)
    made = await client.post("/dashboard/classes", data={"name": "Proovirühm"}, follow_redirects=False)
    class_id = made.headers["location"].rsplit("/", 1)[-1]
    for path in ("/dashboard/assign", "/dashboard/classes"):
        for form in BAD_FORMS:
            data = {k: v.replace("{class_id}", class_id) for k, v in form.items()}
            r = await client.post(path, data=data, follow_redirects=False)
            assert 400 <= r.status_code < 500, (path, form, r.status_code, r.text[:200])
    stranger = uuid.uuid4()
    for path in (f"/dashboard/classes/{stranger}", f"/dashboard/classes/{class_id}/learners/{stranger}",
                 "/dashboard/lessons/no-such/items", f"/dashboard/bank?class_id={stranger}"):  # fmt: skip
        r = await client.get(path)
        assert 400 <= r.status_code < 500, (path, r.status_code)
    client.cookies.clear()


async def test_a_teacher_scores_a_writing_task_on_the_dashboard(
    client: AsyncTestClient, db, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The list shows only the teacher's own learners; the scoring page shows the text and the check's
    findings and the rubric as radio groups; the saved score is what the learner reads through the API,
    and it moves their writing level's evidence."""
    from learning_api.storage import open_store
    from tests.api.test_submissions import production_lesson

    lesson = await production_lesson(db, open_store(settings.object_store_url), tmp_path)
    teacher, other, learner = (
        await sign_up(client, role="teacher"), await sign_up(client, role="teacher"), await sign_up(client),
    )  # fmt: skip
    teacher_auth = {"Authorization": teacher["auth"]}
    made = await client.post("/classes", json={"name": "Kirjutajad"}, headers=teacher_auth)
    code = made.json()["join_code"]
    await client.post("/classes/join", json={"code": code}, headers={"Authorization": learner["auth"]})
    text = "Tere, Kati! Ma elan nüüd Tartus. Minu uus kodu on suur ja ilus. Tule mulle külla, qwzx!"
    handed = await client.post(
        "/submissions/writing", json={"item_id": f"{lesson}-08", "text": text},
        headers={"Authorization": learner["auth"]},
    )  # fmt: skip
    submission = handed.json()["id"]

    await _dashboard_login(client, other)
    assert learner["email"] not in (await client.get("/dashboard/submissions")).text
    assert (await client.get(f"/dashboard/submissions/{submission}")).status_code == 404

    await _dashboard_login(client, teacher)
    listed = await client.get("/dashboard/submissions?lang=et")
    assert "Hindamiseks: kirjutamine ja rääkimine" in listed.text and learner["email"] in listed.text
    shown = await client.get(f"/dashboard/submissions/{submission}?lang=uk")
    assert shown.status_code == 200 and "Tule mulle külla" in shown.text and "qwzx" in shown.text
    assert shown.text.count("<fieldset>") == 4 and 'type="radio"' in shown.text
    assert "Зберегти оцінку" in shown.text
    incomplete = await client.post(f"/dashboard/submissions/{submission}", data={"task": "4"})
    assert incomplete.status_code in (400, 422) and "scores.vocabulary" in incomplete.text
    saved = await client.post(
        f"/dashboard/submissions/{submission}",
        data={"task": "4", "vocabulary": "3", "grammar": "3", "coherence": "4", "comment": "Hea kiri!"},
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303) and saved.headers["location"].endswith(f"?scored={submission}")
    assert 'role="status"' in (await client.get(saved.headers["location"])).text
    client.cookies.clear()
    seen = (await client.get(f"/submissions/{submission}", headers={"Authorization": learner["auth"]})).json()
    assert (seen["status"], seen["points"], seen["comment"]) == ("scored", 17.5, "Hea kiri!")
    levels = (await client.get("/progress", headers={"Authorization": learner["auth"]})).json()["levels"]
    assert next(level["answers"] for level in levels if level["skill"] == "writing") >= 1
