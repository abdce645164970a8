"""A teacher's whole walk through the dashboard in a real headless Chromium (Debian's chromium and
chromium-driver, driven by selenium), against the app served by uvicorn on a free loopback port:
log in → create a class → a learner joins with the code → build a set by rule and assign it → the learner
studies → the report with its charts → the learner's page → the learner hands in a writing task and the
teacher scores it on the rubric → the lesson's author sees its item statistics. Screenshots land in
tests/artifacts/."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from learning_api.accounts.service import register
from learning_api.app import create_app
from learning_api.catalog.library import exercises_by_id, load_lesson
from learning_api.settings import Settings
from learning_api.storage import open_store
from tests.api.test_submissions import production_lesson
from tests.conftest import fresh_database, published_lesson, unique_email

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no browser: install Debian's chromium and chromium-driver (.ci/run does) to run the browser walk",
)
PASSWORD = "Rühmatöö-2026!"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    settings = Settings(
        database_url=fresh_database(kind, "browser", tmp_path_factory),
        object_store_url=f"file://{tmp_path_factory.mktemp('browser-objects')}",
        token_secret="browser-" + uuid.uuid4().hex,
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "the app did not start"
    yield f"http://127.0.0.1:{port}", settings
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def _wait(driver, condition) -> None:  # type: ignore[no-untyped-def]
    """Wait for a condition on the page; htmx swaps the body of a boosted page in place, so an element
    read a moment before can go stale mid-check: that is "not yet", not a failure."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(
        driver, 15, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    ).until(condition)


def _heading(driver, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for the page (htmx swaps it in place after a boosted form) to show this main heading."""
    from selenium.webdriver.common.by import By

    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text == text)


def _writing_evidence(levels: list[dict]) -> int:  # type: ignore[type-arg]
    return next((level["answers"] for level in levels if level["skill"] == "writing"), 0)


def _shot(driver, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


async def test_teacher_walk(live, browser, tmp_path: Path, database_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    base, settings = live
    engine = create_async_engine(settings.database_url, poolclass=NullPool)
    db = async_sessionmaker(engine, expire_on_commit=False)
    exercises = await published_lesson(db, settings, tmp_path)
    store = open_store(settings.object_store_url)
    writing_lesson = await production_lesson(db, store, tmp_path)
    exercises |= exercises_by_id(load_lesson(store, writing_lesson, 1))  # the bank's rules may pick its items
    teacher_email, author_email = unique_email("opetaja"), unique_email("autor")
    async with db() as session, session.begin():
        await register(session, email=teacher_email, password=PASSWORD, role="teacher")
        await register(session, email=author_email, password=PASSWORD, role="author")
    await engine.dispose()
    tag = "sqlite" if database_url.startswith("sqlite") else "postgresql"

    browser.get(f"{base}/dashboard?lang=et")
    assert "/dashboard/login" in browser.current_url
    browser.find_element(By.ID, "email").send_keys(teacher_email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    _heading(browser, "Minu rühmad")

    browser.find_element(By.ID, "name").send_keys("Eesti keel B1, õhtune rühm")
    browser.find_element(By.CSS_SELECTOR, "form[action='/dashboard/classes'] button").click()
    _heading(browser, "Eesti keel B1, õhtune rühm")
    class_url = browser.current_url.split("?")[0]
    code = browser.find_element(By.CSS_SELECTOR, "strong.code").text

    async with httpx.AsyncClient(base_url=base) as api:
        learner_email = unique_email("oppija")
        await api.post("/auth/register", json={"email": learner_email, "password": PASSWORD})
        token = (await api.post("/auth/login", json={"email": learner_email, "password": PASSWORD})).json()[
            "token"
        ]
        learner = {"Authorization": f"Bearer {token}"}
        assert (await api.post("/classes/join", json={"code": code}, headers=learner)).status_code == 201

        typed = next(e for e in exercises.values() if e.type in ("cloze", "translate", "inflect"))
        browser.get(class_url)
        browser.find_element(By.CSS_SELECTOR, "input[name=rule][value=filter]").click()
        browser.find_element(By.CSS_SELECTOR, f"select[name=type] option[value={typed.type}]").click()
        count = browser.find_element(By.ID, "count")
        count.clear()
        count.send_keys("3")
        browser.find_element(By.ID, "title").send_keys("Kodutöö: käänded")
        due = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
        browser.execute_script("document.getElementById('due_date').value = arguments[0]", due)
        browser.find_element(By.CSS_SELECTOR, "form.rule button[type=submit]").click()
        _wait(browser, lambda d: "Kodutöö: käänded" in d.find_element(By.ID, "main").text)

        assignment = (await api.get("/assignments", headers=learner)).json()["items"][0]
        detail = (await api.get(f"/assignments/{assignment['id']}", headers=learner)).json()
        now = datetime.now(UTC)
        batch = [  # the first one wrong, the rest right
            {
                "id": str(uuid.uuid4()),
                "item_id": e["id"],
                "answered_at": (now + timedelta(seconds=k)).isoformat(),
                "response": exercises[e["id"]].answers[0] if k else "vale",
            }
            for k, e in enumerate(detail["exercises"])
        ]
        wrong_item = batch[0]["item_id"]
        stored = await api.post("/study/answers", json=batch, headers=learner)
        assert stored.json()["accepted"] == len(batch), stored.text

    browser.get(f"{class_url}?days=30&lang=et")
    main = browser.find_element(By.ID, "main").text
    assert learner_email in main and "1 / 1" in main  # the learner did the whole assignment
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) >= 3
    _shot(browser, f"dashboard-class-report-{tag}")
    browser.set_window_size(390, 844)  # a phone: nothing wider than the screen
    widths = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
        " document.documentElement.clientWidth + 1 && !e.closest('table *'))"
        " .map(e => e.tagName + '.' + e.className)]"
    )
    assert widths[0] <= widths[1] + 1, widths
    _shot(browser, f"dashboard-class-report-phone-{tag}")
    browser.set_window_size(1280, 1000)
    browser.find_element(By.LINK_TEXT, learner_email).click()
    _heading(browser, learner_email)
    assert "vale" in browser.find_element(By.ID, "main").text
    _shot(browser, f"dashboard-learner-{tag}")

    # the learner hands in a writing task; the teacher scores it on the rubric; the learner reads the score
    async with httpx.AsyncClient(base_url=base) as api:
        text = "Tere, Kati! Ma elan nüüd Tartus. Minu uus kodu on suur ja ilus. Tule mulle laupäeval külla!"
        handed = await api.post(
            "/submissions/writing", json={"item_id": f"{writing_lesson}-08", "text": text}, headers=learner
        )
        assert handed.status_code == 201, handed.text
        submission = handed.json()["id"]
        writing_before = _writing_evidence((await api.get("/progress", headers=learner)).json()["levels"])
    browser.find_element(By.CSS_SELECTOR, "nav a[href='/dashboard/submissions']").click()
    _heading(browser, "Hindamiseks: kirjutamine ja rääkimine")
    browser.find_element(By.LINK_TEXT, learner_email).click()
    _heading(browser, learner_email)
    assert "Tule mulle laupäeval külla!" in browser.find_element(By.CSS_SELECTOR, "blockquote.answer").text
    for criterion, points in (("task", 5), ("vocabulary", 4), ("grammar", 4), ("coherence", 5)):
        browser.find_element(By.CSS_SELECTOR, f"input[name={criterion}][value='{points}']").click()
    browser.find_element(By.ID, "comment").send_keys("Väga hea kiri, ainult üks koma on puudu.")
    _shot(browser, f"dashboard-score-writing-{tag}")
    browser.find_element(By.CSS_SELECTOR, "form.score button[type=submit]").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "p.saved"))
    async with httpx.AsyncClient(base_url=base) as api:
        seen = (await api.get(f"/submissions/{submission}", headers=learner)).json()
        levels = (await api.get("/progress", headers=learner)).json()["levels"]
    assert (seen["status"], seen["points"]) == ("scored", 22.5) and seen["comment"].startswith("Väga hea")
    assert _writing_evidence(levels) == writing_before + 1, levels  # the score counted once, as ability

    # the author of the lesson sees how its exercises fared with this class
    browser.find_element(By.CSS_SELECTOR, "form[action='/dashboard/logout'] button").click()
    _wait(browser, lambda d: "/dashboard/login" in d.current_url)
    browser.find_element(By.ID, "email").send_keys(author_email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    lesson_id = wrong_item.rsplit("-", 1)[0]  # the lesson of the item answered wrong
    _wait(browser, lambda d: lesson_id in d.find_element(By.ID, "main").text)
    browser.find_element(By.LINK_TEXT, lesson_id).click()
    _heading(browser, lesson_id)
    row = next(r.text for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr") if wrong_item in r.text)
    assert " 0% " in f" {row} "  # wrong on the only first try
    _shot(browser, f"dashboard-author-items-{tag}")
