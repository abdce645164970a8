"""Problems and the small field readers the schema check is written with.

Each reader returns the value when it is right and records a ``Problem`` at the line of the key when it
is not, so one pass over a lesson reports everything at once instead of stopping at the first error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from learning_api.authoring.loader import LineDict, LineList


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Checker:
    """Collects problems (validation fails) and warnings (an editor should look; validation passes)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.path, line, f"warning: {message}"))

    def unknown_keys(self, mapping: LineDict, allowed: Iterable[str], where: str) -> None:
        allowed = set(allowed)
        for key in mapping:
            if key not in allowed:
                self.add(mapping.line_of(key), f"unknown key '{key}' in {where}")

    def present(self, mapping: LineDict, key: str, where: str) -> Any:
        if key not in mapping or mapping[key] is None:
            self.add(mapping.line_of(key), f"{where} needs '{key}'")
            return None
        return mapping[key]

    def text(self, mapping: LineDict, key: str, where: str, *, required: bool = True) -> str | None:
        if not required and key not in mapping:
            return None
        value = self.present(mapping, key, where)
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(mapping.line_of(key), f"'{key}' must be text (put it in quotes)")
            return None
        if not value.strip():
            self.add(mapping.line_of(key), f"'{key}' is empty")
            return None
        return value.strip()

    def one_of(self, mapping: LineDict, key: str, allowed: Iterable[str], where: str) -> str | None:
        value = self.text(mapping, key, where)
        allowed = tuple(allowed)
        if value is not None and value not in allowed:
            self.add(mapping.line_of(key), f"'{key}' must be one of {', '.join(allowed)}, not '{value}'")
            return None
        return value

    def mapping(self, parent: LineDict, key: str, where: str, *, required: bool = True) -> LineDict | None:
        if not required and key not in parent:
            return None
        value = self.present(parent, key, where)
        if value is not None and not isinstance(value, LineDict):
            self.add(parent.line_of(key), f"'{key}' must be a mapping of keys to values")
            return None
        return value

    def sequence(self, parent: LineDict, key: str, where: str, *, required: bool = True) -> LineList | None:
        if not required and key not in parent:
            return None
        value = self.present(parent, key, where)
        if value is not None and not isinstance(value, LineList):
            self.add(parent.line_of(key), f"'{key}' must be a list")
            return None
        return value

    def texts(self, parent: LineDict, key: str, where: str, *, required: bool = False) -> list[str] | None:
        """A list of non-empty texts; each bad item is reported at its own line."""
        items = self.sequence(parent, key, where, required=required)
        if items is None:
            return None
        out = []
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.add(items.line_of(index), f"every item of '{key}' must be non-empty text")
            else:
                out.append(item.strip())
        return out

    def languages(self, parent: LineDict, key: str, languages: Iterable[str], where: str) -> dict[str, str]:
        """A text per language, e.g. title: {et, en, ru, uk}; a missing language is one problem."""
        mapping = self.mapping(parent, key, where)
        if mapping is None:
            return {}
        languages = tuple(languages)
        self.unknown_keys(mapping, languages, f"'{key}'")
        out = {}
        for lang in languages:
            if lang not in mapping:
                self.add(parent.line_of(key), f"'{key}' has no text in '{lang}'")
            elif (value := self.text(mapping, lang, f"'{key}'")) is not None:
                out[lang] = value
        return out
