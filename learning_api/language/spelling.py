"""Near misses in spelling: letters that differ only in diacritics, and one-keystroke typos.

Learners on foreign keyboards type o for õ, a for ä, s for š (and sometimes the reverse when
over-correcting); that is a keyboard problem more than a knowledge problem, so it is recognised before
anything else. Folding strips every combining mark, so ô or ō typed for õ count as well.
"""

from __future__ import annotations

import unicodedata


def fold_diacritics(text: str) -> str:
    """õ→o, ä→a, ö→o, ü→u, š→s, ž→z (and any other accented letter to its base letter)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def diacritic_differences(written: str, expected: str) -> tuple[tuple[str, str], ...] | None:
    """The (written, expected) letter pairs when two NFC strings differ only in diacritics, else None."""
    if written == expected or len(written) != len(expected):
        return None
    if fold_diacritics(written) != fold_diacritics(expected):
        return None
    return tuple(dict.fromkeys((w, e) for w, e in zip(written, expected, strict=True) if w != e))


def damerau_levenshtein(a: str, b: str) -> int:
    """Edit distance counting insertion, deletion, substitution and a swap of two neighbours as one edit
    (the "optimal string alignment" variant: enough for telling one slip of the finger from a mistake)."""
    if a == b:
        return 0
    previous_row: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]
