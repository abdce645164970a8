"""Text normalisation for comparing a learner's answer with the expected one.

Two answers that differ only in letter case, spacing, punctuation or the style of quotes („“ «» "" '')
mean the same; none of that should cost the learner a point. A hyphen inside a word is kept, since
"e-mail" and "email" are different spellings, not different punctuation.
"""

from __future__ import annotations

import unicodedata


def _is_inner_hyphen(text: str, i: int) -> bool:
    return text[i] == "-" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def clean(text: str) -> str:
    """Punctuation, quotes and symbols turned to spaces, runs of space collapsed; case kept (Vabamorf needs
    it to know a proper name)."""
    text = unicodedata.normalize("NFC", text)
    kept = [
        ch if _is_inner_hyphen(text, i) or unicodedata.category(ch)[0] not in "PS" else " "
        for i, ch in enumerate(text)
    ]
    return " ".join("".join(kept).split())


def normalise(text: str) -> str:
    """The form two answers are compared in: cleaned and case-folded."""
    return clean(text).casefold()
