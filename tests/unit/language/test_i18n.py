"""The gettext catalogs: complete in all four languages, sorted, and used by the language core."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from learning_api.i18n import SUPPORTED_LANGUAGES, catalog_path, resolve_language, translator
from learning_api.language.feedback import MESSAGES
from learning_api.language.forms import FORM_NAMES, POS_NAMES, describe_forms, form_name, pos_name

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as po:
        return read_po(po, locale=lang)


def _messages(lang: str) -> dict[str, str]:
    return {message.id: message.string for message in _catalog(lang) if message.id}


def test_supported_languages() -> None:
    assert SUPPORTED_LANGUAGES == ("et", "en", "ru", "uk")


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_msgid_has_a_translation(lang: str) -> None:
    empty = [msgid for msgid, text in _messages(lang).items() if not text.strip()]
    assert not empty
    assert not [message.id for message in _catalog(lang) if message.id and message.fuzzy]


def test_all_languages_have_the_same_msgids() -> None:
    english = set(_messages("en"))
    for lang in SUPPORTED_LANGUAGES:
        assert set(_messages(lang)) == english, lang


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_catalog_is_sorted_by_msgid(lang: str) -> None:
    ids = [message.id for message in _catalog(lang) if message.id]
    assert ids == sorted(ids)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    broken = {
        msgid: text
        for msgid, text in _messages(lang).items()
        if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text))
    }
    assert not broken


def test_every_text_the_language_core_uses_is_in_the_catalogs() -> None:
    used = set(FORM_NAMES.values()) | set(POS_NAMES.values()) | set(MESSAGES.values())
    assert not used - set(_messages("en"))


def test_russian_and_ukrainian_terms() -> None:
    ru, uk, et = translator("ru"), translator("uk"), translator("et")
    assert ru("sg. genitive") == "родительный падеж, ед. ч."
    assert uk("sg. genitive") == "родовий відмінок, одн."
    assert et("sg. genitive") == "ainsuse omastav"
    assert ru("pl. partitive") == "частичный падеж (партитив), мн. ч."
    assert uk("pl. partitive") == "частковий відмінок (партитив), мн."
    assert form_name("sin", "uk") == "минулий час, 1-ша особа одн."
    assert form_name("n", "ru") == "настоящее время, 1-е лицо ед. ч."
    assert pos_name("V", "et") == "tegusõna" and pos_name("S", "ru") == "существительное"


@pytest.mark.parametrize(
    ("tag", "lang"), [("ru-RU", "ru"), ("UK", "uk"), ("et_EE", "et"), ("de", "en"), (None, "en"), ("", "en")]
)
def test_language_tags_resolve(tag: str | None, lang: str) -> None:
    assert resolve_language(tag) == lang


def test_unknown_language_and_unknown_msgid_fall_back_to_english() -> None:
    assert translator("fi")("sg. genitive") == "sg. genitive"
    assert translator("ru")("A text no catalog has yet") == "A text no catalog has yet"


def test_form_names_with_clitics_and_unknown_codes() -> None:
    assert form_name("pl n+ki", "en") == "pl. nominative + -ki"
    assert form_name("?", "ru") == "?"
    described = describe_forms(["sg p", "sg g", "adt"], "en")
    assert described == "sg. genitive / sg. partitive / sg. short illative"
