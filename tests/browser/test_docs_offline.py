"""The API docs render in a real headless Chromium with the internet cut off (every host but loopback
fails to resolve): Swagger UI's files come from the app. The screenshot lands in tests/artifacts/."""

from __future__ import annotations

import pytest

from learning_api.settings import Settings
from tests.browser.test_teacher_walk import ARTIFACTS, CHROMIUM, DRIVER, live  # noqa: F401  (a fixture)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no browser: install Debian's chromium and chromium-driver (.ci/run does) to render the docs",
)


@pytest.fixture
def offline_browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # no internet: only the app answers
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_swagger_ui_renders_offline(live: tuple[str, Settings], offline_browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, settings = live
    offline_browser.get(f"{base}/schema")
    WebDriverWait(offline_browser, 30).until(
        lambda d: (
            "Keelerada API" in d.find_element(By.TAG_NAME, "body").text
            and d.find_elements(By.CSS_SELECTOR, ".opblock")
        )
    )
    operations = offline_browser.find_elements(By.CSS_SELECTOR, ".opblock")
    assert len(operations) >= 50  # every operation is listed
    assert "ProblemDetails" in offline_browser.find_element(By.TAG_NAME, "body").text
    tag = "sqlite" if settings.database_url.startswith("sqlite") else "postgresql"
    ARTIFACTS.mkdir(exist_ok=True)
    offline_browser.save_screenshot(str(ARTIFACTS / f"docs-swagger-offline-{tag}.png"))
