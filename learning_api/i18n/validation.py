"""Validation messages in the learner's language.

msgspec and Litestar word their refusals in English from a small, fixed set of sentences; each is matched
here to a msgid with named fields, so the catalogs translate the sentence and the values (field names,
limits, types) are put back unchanged. A sentence not in the table stays as it is.
"""

from __future__ import annotations

import re

from learning_api.i18n import translator

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (r"Expected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`", "expected {expected}, got {got}"),
        (r"Object missing required field `(?P<field>[^`]+)`", "the field '{field}' is required"),
        (r"Object contains unknown field `(?P<field>[^`]+)`", "unknown field '{field}'"),
        (r"Expected `[^`]+` of length >= (?P<limit>\d+)", "must be at least {limit} long"),
        (r"Expected `[^`]+` of length <= (?P<limit>\d+)", "must be at most {limit} long"),
        (r"Expected `[^`]+` >= (?P<limit>[-\d.e]+)", "must be at least {limit}"),
        (r"Expected `[^`]+` <= (?P<limit>[-\d.e]+)", "must be at most {limit}"),
        (r"Expected `[^`]+` > (?P<limit>[-\d.e]+)", "must be more than {limit}"),
        (r"Expected `[^`]+` < (?P<limit>[-\d.e]+)", "must be less than {limit}"),
        (r"Expected `str` matching regex (?P<pattern>.+)", "does not have the expected form"),
        (r"Invalid enum value (?P<value>.+)", "{value} is not one of the allowed values"),
        (r"Invalid UUID", "not a valid UUID"),
        (r"Invalid RFC3339 encoded (?P<kind>\w+)", "not a valid {kind} (RFC 3339)"),
        (r"Expected `datetime` with a timezone component", "the date and time need a time zone"),
        (r"Input data was truncated|JSON is malformed.*", "the request body is not valid JSON"),
        (
            r"Missing required (?P<source>\w+) parameter '(?P<name>[^']+)'.*",
            "the {source} parameter '{name}' is required",
        ),
    )
)


def translate_validation(message: str, lang: str) -> str:
    for pattern, msgid in _PATTERNS:
        if match := pattern.fullmatch(message.strip()):
            return translator(lang)(msgid).format(**match.groupdict())
    return message
