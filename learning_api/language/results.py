"""What grading returns: a verdict, the 1–4 grade the memory model takes, and per-word details.

Why the verdicts map to these grades (FSRS's Again/Hard/Good/Easy):
- exact or accepted → 3 (Good), or 4 (Easy) when the caller reports the answer came fast: the item was
  recalled, and speed is the only signal we have that it was effortless.
- diacritics or one typo → 2 (Hard): the word was recalled, the spelling was not quite there; treating it as a
  lapse would reset a memory that is in fact intact, treating it as Good would hide a weak spot.
- wrong form → 1 (Again): the learner knew the word but not what the item asked for (the form), and the
  form is the point of an inflection or cloze item.
- wrong → 1 (Again).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FAST_ANSWER_MS = 4000
"""Default threshold for "fast": about what a recalled single word takes to type on a phone. Callers grading
longer answers should pass their own."""


class Verdict(StrEnum):
    """Declared from best to worst; that order decides which word's verdict stands for a whole sentence."""

    EXACT = "exact"
    ACCEPTED = "accepted"
    DIACRITICS = "diacritics"
    TYPO = "typo"
    WRONG_FORM = "wrong_form"
    WRONG = "wrong"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {verdict: rank for rank, verdict in enumerate(Verdict)}


def grade_for(verdict: Verdict, latency_ms: int | None = None, fast_ms: int = FAST_ANSWER_MS) -> int:
    if verdict in (Verdict.EXACT, Verdict.ACCEPTED):
        return 4 if latency_ms is not None and latency_ms <= fast_ms else 3
    if verdict in (Verdict.DIACRITICS, Verdict.TYPO):
        return 2
    return 1


@dataclass(frozen=True, slots=True)
class WordIssue:
    """One word of the answer that is not exactly the expected one.

    `position` is the word's index in the answer, or None when the answers had different word counts and
    were compared whole. `letters` holds (written, expected) letters for a diacritics miss; the form fields
    hold Vabamorf codes (see `forms.FORM_NAMES`) for a wrong or parallel form of `lemma`.
    """

    verdict: Verdict
    written: str
    expected: str
    position: int | None
    letters: tuple[tuple[str, str], ...] = ()
    lemma: str = ""
    written_forms: tuple[str, ...] = ()
    expected_forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GradeResult:
    """`expected` is the expected answer the response was held against (the closest one)."""

    verdict: Verdict
    grade: int
    feedback: str
    expected: str
    issues: tuple[WordIssue, ...] = ()

    @property
    def correct(self) -> bool:
        """Recalled, perhaps misspelt: what the answer log and the ability model count as a right answer."""
        return self.verdict.severity <= Verdict.TYPO.severity
