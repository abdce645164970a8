"""spaCy's blank Estonian tokenizer, built once per process.

Only the tokenizer is used: it needs no model download, and Vabamorf does the morphology. One change to
spaCy's defaults: a hyphen between letters no longer splits a word, because Estonian writes compounds and
loans that way ("e-mail", "Kesk-Eesti") and Vabamorf knows them whole.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import compile_infix_regex

_HYPHEN_INFIX = "(?:-|–|—|--|---|——|~)"
_DASH_INFIX = "(?:–|—|--|---|——|~)"


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The shared tokenizer-only pipeline; threads may share it (it holds the GIL while it runs)."""
    pipeline = spacy.blank("et")
    infixes = [pattern.replace(_HYPHEN_INFIX, _DASH_INFIX) for pattern in pipeline.Defaults.infixes]
    pipeline.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return pipeline


def tokenise(text: str) -> Doc:
    return nlp()(text)


def is_word(token: Token) -> bool:
    """A token worth a morphological look: it has a letter and is neither punctuation nor a number."""
    return not token.is_punct and not token.like_num and any(ch.isalpha() for ch in token.text)


def count_words(text: str) -> int:
    """Words as a writing task's limits count them: every token that is not punctuation or space (a
    number written in digits is a word of the text too). The validator checks model answers and the
    writing check counts learners' texts with this one rule."""
    return sum(1 for token in tokenise(text) if not token.is_punct and not token.is_space)
