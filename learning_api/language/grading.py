"""Grading a typed answer against the expected answer(s) with Estonian-aware feedback.

The checks run from the most to the least forgiving: normalise (case, spaces, punctuation, quotes) → exact
or an accepted alternative → only diacritics differ → one typo → the same lemma in another form → wrong.
One refinement of that order: a word that Vabamorf reads as a *real* form of the expected lemma is judged
on its form first, so "tulid" for "tulin" is a wrong form, not a typo, and "läheme" for "lähme" (the same
form, spelt the other accepted way) is right.

Sentence answers are graded word by word when the word counts match, so "Ma elan Tallinna." against
"Ma elan Tallinnas." names the word and both forms; the worst word decides the verdict. With other word
counts the whole answer is compared for diacritics and a typo (a lost space is a typo) and else it is wrong.

Forms of one word are compared as sets of readings, since out of context Vabamorf cannot tell which
reading of an ambiguous word an item means ("kooli": sg. genitive, sg. partitive, pl. partitive or short
illative). A written word is a right form when it can stand for every reading of the expected word ("kooli"
for "koole", pl. partitive both) and a wrong form when it might not ("koole" for "kooli", which may be the
short illative), unless the caller names the reading meant with `target_form`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from learning_api.language.feedback import feedback_text
from learning_api.language.forms import sort_forms
from learning_api.language.morphology import Analysis, Morphology, get_morphology
from learning_api.language.normalise import clean
from learning_api.language.results import FAST_ANSWER_MS, GradeResult, Verdict, WordIssue, grade_for
from learning_api.language.spelling import damerau_levenshtein, diacritic_differences, fold_diacritics

MIN_TYPO_LENGTH = 4
"""Below four letters one edit is a different word more often than a slip (maa/mai, see/see)."""


@dataclass(frozen=True, slots=True)
class _Target:
    """What a single-word item asks for, when the caller knows it."""

    lemma: str | None = None
    form: str | None = None

    def readings(self, analyses: list[Analysis]) -> list[Analysis]:
        """The expected word's readings of the item's lemma (all of them if none matches)."""
        if self.lemma is None:
            return analyses
        wanted = self.lemma.casefold()
        return [a for a in analyses if a.lemma.casefold() == wanted] or analyses


@dataclass(frozen=True, slots=True)
class _Comparison:
    verdict: Verdict
    index: int
    issues: tuple[WordIssue, ...]


def grade(
    answer: str,
    expected: Sequence[str],
    lang: str | None = "en",
    *,
    morphology: Morphology | None = None,
    target_form: str | None = None,
    target_lemma: str | None = None,
    latency_ms: int | None = None,
    fast_ms: int = FAST_ANSWER_MS,
) -> GradeResult:
    """Grade `answer` against `expected` (the first is the main answer, the rest accepted alternatives).

    `lang` is the learner's instruction language for the feedback. For single-word answers an inflection or
    cloze item can say what it asks for: `target_lemma` ("seal", so that "sea" is a typo rather than the
    genitive of "siga", whose adessive is also spelt "seal") and `target_form`, a Vabamorf code ("sg g"),
    which settles an ambiguous form. `latency_ms` at or under `fast_ms` turns a right answer's 3 into 4.
    CPU-bound and synchronous: call it off the event loop.
    """
    if not expected:
        raise ValueError("grade() needs at least one expected answer")
    morphology = morphology or get_morphology()
    written = clean(answer)
    targets = [clean(option) for option in expected]
    exact = next((i for i, option in enumerate(targets) if option.casefold() == written.casefold()), None)
    if exact is not None:
        best = _Comparison(Verdict.EXACT if exact == 0 else Verdict.ACCEPTED, exact, ())
    else:
        comparisons = (
            _compare(written, option, i, morphology, _Target(target_lemma, target_form))
            for i, option in enumerate(targets)
        )
        best = min(comparisons, key=lambda c: (c.verdict.severity, c.index))
    held_against = expected[best.index]
    return GradeResult(
        verdict=best.verdict,
        grade=grade_for(best.verdict, latency_ms, fast_ms),
        feedback=feedback_text(best.verdict, best.issues, held_against, expected[0], lang),
        expected=held_against,
        issues=best.issues,
    )


def _compare(written: str, expected: str, index: int, morphology: Morphology, target: _Target) -> _Comparison:
    written_words, expected_words = written.split(), expected.split()
    if written_words and len(written_words) == len(expected_words):
        single_target = target if len(expected_words) == 1 else _Target()
        issues = tuple(
            issue
            for position, (w, e) in enumerate(zip(written_words, expected_words, strict=True))
            if (issue := _compare_word(w, e, position, morphology, single_target)) is not None
        )
    else:
        issues = (_compare_spelling(written, expected, None),)
    worst = max((issue.verdict for issue in issues), key=lambda v: v.severity, default=None)
    if worst is None or worst is Verdict.ACCEPTED:
        worst = Verdict.ACCEPTED if index > 0 or issues else Verdict.EXACT
    return _Comparison(worst, index, issues)


def _compare_word(
    written: str, expected: str, position: int, morphology: Morphology, target: _Target
) -> WordIssue | None:
    if written.casefold() == expected.casefold():
        return None
    written_readings = _readings(written, morphology)
    expected_readings = target.readings(_readings(expected, morphology))
    lemmas = {a.lemma for a in expected_readings} & {a.lemma for a in written_readings}
    if not lemmas:
        return _compare_spelling(written, expected, position)
    mine = {_form_key(a) for a in written_readings if a.lemma in lemmas}
    theirs = {_form_key(a) for a in expected_readings if a.lemma in lemmas}
    targeted = {key for key in theirs if key.partition("+")[0] == target.form}
    same = bool(targeted & mine) if targeted else theirs <= mine
    return WordIssue(
        verdict=Verdict.ACCEPTED if same else Verdict.WRONG_FORM,
        written=written,
        expected=expected,
        position=position,
        lemma=next(a.lemma for a in expected_readings if a.lemma in lemmas),
        written_forms=tuple(sort_forms(mine)),
        expected_forms=tuple(sort_forms(targeted or theirs)),
    )


def _form_key(analysis: Analysis) -> str:
    """The form code with its clitic, if any ("pl n+ki"): "kassidki" is not just another spelling of
    "kassid"."""
    return f"{analysis.form}+{analysis.clitic}" if analysis.clitic else analysis.form


def _readings(word: str, morphology: Morphology) -> list[Analysis]:
    """Vabamorf's readings of a typed word; learners often type names in lower case ("tallinnas")."""
    readings = morphology.analyse_word(word)
    if not readings and word[:1].islower():
        readings = morphology.analyse_word(word[:1].upper() + word[1:])
    return list(readings)


def _compare_spelling(written: str, expected: str, position: int | None) -> WordIssue:
    folded_written, folded_expected = written.casefold(), expected.casefold()
    letters = diacritic_differences(folded_written, folded_expected)
    if letters is not None:
        return WordIssue(Verdict.DIACRITICS, written, expected, position, letters=letters)
    one_slip = len(folded_expected) >= MIN_TYPO_LENGTH and (
        damerau_levenshtein(fold_diacritics(folded_written), fold_diacritics(folded_expected)) == 1
    )
    return WordIssue(Verdict.TYPO if one_slip else Verdict.WRONG, written, expected, position)
