"""Feedback sentences for a graded answer, in the learner's instruction language.

The message ids are English; the translations are in the gettext catalogs. Each language brings its own
quotation marks inside the translated text („…“, «…», “…”).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from learning_api.i18n import translator
from learning_api.language.forms import describe_forms
from learning_api.language.results import Verdict, WordIssue

MESSAGES: dict[str, str] = {
    "exact": "Correct!",
    "accepted": "Correct! Another possible answer: “{expected}”.",
    "variant": "“{written}” is right too: it is a parallel form of “{expected}”.",
    "diacritic": "Almost — mind the letter {letters}: “{expected}”.",
    "diacritics": "Almost — mind the letters {letters}: “{expected}”.",
    "typo": "Almost — a typo: “{written}” should be “{expected}”.",
    "wrong_form": "Right word, wrong form: you wrote “{written}” — {written_form}; "
    "expected “{expected}” — {expected_form}",
    "wrong": "Not quite. The right answer: “{expected}”.",
    "order": "The most natural order: “{expected}”.",
    "wrong_order": "The words are right, but not in this order: “{expected}”.",
    "keyboard": "Your answer is in Cyrillic letters: switch your keyboard to Estonian.",
}


class Note(StrEnum):
    """Something to say about the whole answer besides its words."""

    ORDER = "order"  # right, in another order Estonian allows
    WRONG_ORDER = "wrong_order"  # the right words in an order that is not Estonian or says otherwise
    KEYBOARD = "keyboard"  # typed in Cyrillic


def _issue_text(issue: WordIssue, lang: str | None) -> str:
    _ = translator(lang)
    if issue.verdict is Verdict.ACCEPTED:
        return _(MESSAGES["variant"]).format(written=issue.written, expected=issue.expected)
    if issue.verdict is Verdict.DIACRITICS:
        letters = list(dict.fromkeys(expected for _written, expected in issue.letters))
        key = "diacritic" if len(letters) == 1 else "diacritics"
        return _(MESSAGES[key]).format(letters=", ".join(letters), expected=issue.expected)
    if issue.verdict is Verdict.TYPO:
        return _(MESSAGES["typo"]).format(written=issue.written, expected=issue.expected)
    if issue.verdict is Verdict.WRONG_FORM:
        return _(MESSAGES["wrong_form"]).format(
            written=issue.written,
            written_form=describe_forms(_contrast(issue.written_forms, issue.expected_forms), lang),
            expected=issue.expected,
            expected_form=describe_forms(_contrast(issue.expected_forms, issue.written_forms), lang),
        )
    return _(MESSAGES["wrong"]).format(expected=issue.expected)


def _contrast(forms: Sequence[str], other: Sequence[str]) -> Sequence[str]:
    """The readings not shared with the other word: when "koole" (pl. partitive) is wrong for "kooli"
    (sg. genitive, sg. partitive, pl. partitive or short illative), naming the shared one would confuse."""
    return [form for form in forms if form not in other] or forms


def feedback_text(
    verdict: Verdict,
    issues: Sequence[WordIssue],
    expected: str,
    main_answer: str,
    lang: str | None,
    note: Note | None = None,
) -> str:
    """One sentence for a right or wrong answer; else one per word that was not exactly right; a note on
    the order of the words after them."""
    _ = translator(lang)
    if note in (Note.KEYBOARD, Note.WRONG_ORDER):
        return _(MESSAGES[note]).format(expected=expected)
    if note is Note.ORDER:
        words = [_as_sentence(_issue_text(issue, lang)) for issue in issues] or [_(MESSAGES["exact"])]
        return " ".join([*words, _(MESSAGES[note]).format(expected=expected)])
    if verdict is Verdict.EXACT:
        return _(MESSAGES["exact"])
    if verdict is Verdict.WRONG:
        return _(MESSAGES["wrong"]).format(expected=expected)
    if verdict is Verdict.ACCEPTED and not issues:
        return _(MESSAGES["accepted"]).format(expected=main_answer)
    return " ".join(_as_sentence(_issue_text(issue, lang)) for issue in issues)


def _as_sentence(text: str) -> str:
    """Form names may end in an abbreviation's full stop ("sg.", "ед. ч."), so the messages that end in one
    carry no full stop of their own; it is added here when missing."""
    return text if text.endswith((".", "!", "?")) else f"{text}."
