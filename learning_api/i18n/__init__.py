"""Interface texts in et/en/ru/uk, kept in gettext catalogs so translators use the tools they know.

The `.po` files are read with Babel and compiled in memory on first use, so there is no compile step at
install and no `.mo` file to go stale. Message ids are the English texts; a message missing in one language
falls back to English, never to an error.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SUPPORTED_LANGUAGES: tuple[str, ...] = ("et", "en", "ru", "uk")
DEFAULT_LANGUAGE = "en"
DOMAIN = "keelerada"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def catalog_path(lang: str, domain: str = DOMAIN) -> Path:
    """``domain`` "keelerada" holds the API's texts, "dashboard" the teachers' web pages."""
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def resolve_language(lang: str | None) -> str:
    """Map "ru-RU", "RU" or an unknown tag to one of the supported languages (English if none fits)."""
    base = (lang or "").replace("_", "-").split("-", 1)[0].lower()
    return base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def _accepted_tags(header: str) -> list[str]:
    """The tags of an Accept-Language header, most wanted first (by q-value, then by order); q=0 is out."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag.replace("_", "-").lower()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate_language(accept_language: str | None, fallback: str | None = None) -> str:
    """The client's Accept-Language negotiated by Babel against our languages; else ``fallback`` (the
    learner's profile), else English."""
    if accept_language and (
        found := negotiate_locale(_accepted_tags(accept_language), SUPPORTED_LANGUAGES, sep="-")
    ):
        return found
    return resolve_language(fallback)


@lru_cache(maxsize=4 * len(SUPPORTED_LANGUAGES))
def _translations(lang: str, domain: str = DOMAIN) -> gettext.GNUTranslations:
    with catalog_path(lang, domain).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=domain)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    translations = gettext.GNUTranslations(mo)
    if lang != DEFAULT_LANGUAGE:
        translations.add_fallback(_translations(DEFAULT_LANGUAGE, domain))
    return translations


def translator(lang: str | None, domain: str = DOMAIN) -> Callable[[str], str]:
    """The `gettext` function for a learner's language; catalogs are loaded once per process."""
    return _translations(resolve_language(lang), domain).gettext
