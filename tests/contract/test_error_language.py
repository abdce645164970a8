"""Problems speak the caller's language: Accept-Language (Babel's negotiation, q-values honoured), else
the learner's profile language, else English; titles, details and validation messages alike."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from learning_api.i18n import negotiate_language
from learning_api.i18n.validation import translate_validation
from tests.conftest import sign_up


@pytest.mark.parametrize(
    ("header", "profile", "expected"),
    [
        ("uk-UA,uk;q=0.9,en;q=0.5", None, "uk"),
        ("de-DE, ru;q=0.8, uk;q=0.5", "et", "ru"),  # German is not offered: the next best by q
        ("en;q=0.1, et;q=0.9", None, "et"),  # order of the header does not matter, q does
        ("ru;q=0, uk;q=0.2", None, "uk"),  # q=0 means "not this one"
        ("*", "uk", "uk"),
        ("fi, de", "ru", "ru"),
        ("", "et", "et"),
        (None, None, "en"),
        ("x;q=abc", None, "en"),
    ],
)
def test_language_negotiation(header: str | None, profile: str | None, expected: str) -> None:
    assert negotiate_language(header, profile) == expected


def test_msgspec_messages_are_translated_with_their_values() -> None:
    assert translate_validation("Expected `int` >= 1", "uk") == "має бути не менше ніж 1"
    missing = translate_validation("Object missing required field `email`", "et")
    assert missing == "väli „email” on kohustuslik"
    assert translate_validation("Expected `str` of length <= 320", "ru") == "должно быть длиной не больше 320"
    assert translate_validation("something msgspec never said", "ru") == "something msgspec never said"


async def test_a_ukrainian_learner_gets_problems_in_ukrainian(client: AsyncTestClient) -> None:
    learner = await sign_up(client, instruction_language="uk")
    auth = {"Authorization": learner["auth"]}
    missing = await client.get("/catalog/lessons/no-such-lesson", headers=auth)
    assert missing.status_code == 404
    body = missing.json()
    assert body["detail"] == "опублікованого уроку «no-such-lesson» немає"
    assert body["title"] == "Не знайдено"

    bad = await client.patch("/me/profile", json={"daily_goal_items": 0}, headers=auth)
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"field": "daily_goal_items", "message": "має бути не менше ніж 1"}]


async def test_accept_language_wins_over_the_profile(client: AsyncTestClient) -> None:
    learner = await sign_up(client, instruction_language="uk")
    headers = {"Authorization": learner["auth"], "Accept-Language": "et-EE, en;q=0.5"}
    bad = await client.patch("/me/profile", json={"daily_goal_items": 0}, headers=headers)
    assert bad.json()["errors"][0]["message"] == "peab olema vähemalt 1"
    anonymous = await client.get("/me", headers={"Accept-Language": "ru"})
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"].startswith("отправьте заголовок")
