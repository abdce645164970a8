"""Estonian language core: spaCy's blank("et") tokenizer and Vabamorf morphology, grading with feedback.

Everything here is synchronous and CPU-bound; the web layer runs it off the event loop. Vabamorf's lexicon
is loaded once per process (`get_morphology()`, or a `Morphology()` made in the app's lifespan).
"""

from __future__ import annotations

from learning_api.language.forms import FORM_NAMES, NOUN_FORMS, POS_NAMES, describe_forms, form_name, pos_name
from learning_api.language.grading import grade
from learning_api.language.morphology import AnalysedToken, Analysis, Morphology, get_morphology
from learning_api.language.normalise import clean, normalise
from learning_api.language.results import FAST_ANSWER_MS, GradeResult, Verdict, WordIssue, grade_for
from learning_api.language.tokens import count_words, tokenise


def unknown_words(text: str) -> list[str]:
    """Words of a text Vabamorf does not know (numbers, punctuation and listed proper names are fine)."""
    return get_morphology().unknown_words(text)


def forms_of(word: str) -> list[tuple[str, str]]:
    """(lemma, form code) for every reading of a word; empty for a word the lexicon does not know."""
    return get_morphology().forms_of(word)


def is_form_of(word: str, lemma: str) -> bool:
    return get_morphology().is_form_of(word, lemma)


__all__ = [
    "FAST_ANSWER_MS",
    "FORM_NAMES",
    "NOUN_FORMS",
    "POS_NAMES",
    "AnalysedToken",
    "Analysis",
    "GradeResult",
    "Morphology",
    "Verdict",
    "WordIssue",
    "clean",
    "count_words",
    "describe_forms",
    "form_name",
    "forms_of",
    "get_morphology",
    "grade",
    "grade_for",
    "is_form_of",
    "normalise",
    "pos_name",
    "tokenise",
    "unknown_words",
]
