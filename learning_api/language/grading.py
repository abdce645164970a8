"""Grading a typed answer against the expected answer(s) with Estonian-aware feedback.

The checks run from the most to the least forgiving: normalise (case, spaces, punctuation, quotes) → exact
or an accepted alternative → only diacritics differ → one typo → the same lemma in another form → wrong.
One refinement of that order: a word that Vabamorf reads as a *real* form of the expected lemma is judged
on its form first, so "tulid" for "tulin" is a wrong form, not a typo, and "läheme" for "lähme" (the same
form, spelt the other accepted way) is right. Another real word one letter away ("kast" for "kass") is a
wrong word, not a typo. An answer in Cyrillic letters is told to switch the keyboard.

Sentence answers are graded word by word when the word counts match, so "Ma elan Tallinna." against
"Ma elan Tallinnas." names the word and both forms; the worst word decides the verdict. With other word
counts the whole answer is compared for diacritics and a typo (a lost space is a typo) and else it is wrong.
Translate and order items (`sentence=True`) also take another word order Estonian allows, a left-out
subject pronoun and numbers in digits (see `sentences`).

Forms of one word are compared as sets of readings, since out of context Vabamorf cannot tell which
reading of an ambiguous word an item means ("kooli": sg. genitive, sg. partitive, pl. partitive or short
illative). A written word is a right form when it can stand for every reading of the expected word ("kooli"
for "koole", pl. partitive both) and a wrong form when it might not ("koole" for "kooli", which may be the
illative), unless the caller names the reading meant with `target_form`. The short and the long illative
count as one form (majja/majasse).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from functools import lru_cache

from learning_api.language.feedback import Note, feedback_text
from learning_api.language.forms import same_form, sort_forms
from learning_api.language.morphology import Analysis, Morphology, get_morphology
from learning_api.language.normalise import clean
from learning_api.language.results import FAST_ANSWER_MS, GradeResult, Verdict, WordIssue, grade_for
from learning_api.language.sentences import (
    align,
    clauses,
    digits_as_words,
    has_cyrillic,
    order_allowed,
    subject_pronouns,
)
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


class _Rank(IntEnum):
    """Between comparisons of equal verdict: a wrong order explains a wrong answer best, and a right answer
    is best held against the model in its own order."""

    WRONG_ORDER = 0
    PLAIN = 1
    VARIANT = 2
    REORDERED = 3


@dataclass(frozen=True, slots=True)
class _Comparison:
    verdict: Verdict
    index: int
    issues: tuple[WordIssue, ...]
    rank: _Rank = _Rank.PLAIN

    @property
    def key(self) -> tuple[int, int, int]:
        return self.verdict.severity, self.index, self.rank


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
    sentence: bool = False,
) -> GradeResult:
    """Grade `answer` against `expected` (the first is the main answer, the rest accepted alternatives).

    `lang` is the learner's instruction language for the feedback. For single-word answers an inflection or
    cloze item can say what it asks for: `target_lemma` ("seal", so that "sea" is a typo rather than the
    genitive of "siga", whose adessive is also spelt "seal") and `target_form`, a Vabamorf code ("sg g"),
    which settles an ambiguous form. `sentence` turns on what a translated sentence may do otherwise (word
    order, a left-out pronoun, digits). `latency_ms` at or under `fast_ms` turns a right answer's 3 into 4.
    CPU-bound and synchronous: call it off the event loop.
    """
    if not expected:
        raise ValueError("grade() needs at least one expected answer")
    morphology = morphology or get_morphology()
    if has_cyrillic(answer) and not any(has_cyrillic(option) for option in expected):
        return _result(_Comparison(Verdict.WRONG, 0, ()), expected, lang, latency_ms, fast_ms, Note.KEYBOARD)
    written = clean(answer)
    targets = [clean(option) for option in expected]
    exact = next((i for i, option in enumerate(targets) if option.casefold() == written.casefold()), None)
    if exact is not None:
        best = _Comparison(Verdict.EXACT if exact == 0 else Verdict.ACCEPTED, exact, ())
    else:
        target = _Target(target_lemma, target_form and same_form(target_form))
        comparisons: list[_Comparison] = []
        for i, option in enumerate(targets):
            comparisons.append(_compare(written.split(), option.split(), i, morphology, target))
            if sentence:
                comparisons.extend(_sentence_variants(written.split(), expected[i], i, morphology))
        best = min(comparisons, key=lambda c: c.key)
    note = {_Rank.REORDERED: Note.ORDER, _Rank.WRONG_ORDER: Note.WRONG_ORDER}.get(best.rank)
    return _result(best, expected, lang, latency_ms, fast_ms, note)


def _result(
    best: _Comparison, expected: Sequence[str], lang: str | None, latency_ms: int | None, fast_ms: int,
    note: Note | None,
) -> GradeResult:  # fmt: skip
    held_against = expected[best.index]
    return GradeResult(
        verdict=best.verdict,
        grade=grade_for(best.verdict, latency_ms, fast_ms),
        feedback=feedback_text(best.verdict, best.issues, held_against, expected[0], lang, note),
        expected=held_against,
        issues=best.issues,
    )


def _sentence_variants(
    written: list[str], model_text: str, index: int, morphology: Morphology
) -> Iterator[_Comparison]:
    """The answer held against the model with digits read as its numerals, both without the subject
    pronouns their verbs make unnecessary, and in the model's order when only whole phrases moved."""
    model = clean(model_text).split()
    clause_of, question = clauses(model_text)
    as_typed, written = written, digits_as_words(written, model, morphology)
    variants = [(written, model, clause_of)]
    dropped_written, dropped_model = (
        subject_pronouns(written, morphology),
        subject_pronouns(model, morphology),
    )
    if dropped_written or dropped_model:
        variants.append((
            [word for i, word in enumerate(written) if i not in dropped_written],
            [word for i, word in enumerate(model) if i not in dropped_model],
            [clause for i, clause in enumerate(clause_of) if i not in dropped_model],
        ))  # fmt: skip
    for words, model_words, model_clauses in variants:
        if (words, model_words) != (as_typed, model):  # else `grade` has compared them already
            plain = _compare(words, model_words, index, morphology, _Target())
            yield _right_at_best(plain, _Rank.VARIANT)
        if len(words) != len(model_words) or len(words) < 2 or len(model_clauses) != len(model_words):
            continue
        if _shared_words(words, model_words) < len(words) - 2:  # not the model's words moved about
            continue
        order, _ = align(words, model_words, morphology)
        if order == list(range(len(order))):
            continue
        in_model_order = [""] * len(order)
        for position, model_position in enumerate(order):
            in_model_order[model_position] = words[position]
        moved = _compare(in_model_order, model_words, index, morphology, _Target())
        if order_allowed(order, model_words, model_clauses, question, morphology):
            yield _right_at_best(moved, _Rank.REORDERED)
        elif moved.verdict is not Verdict.WRONG:
            yield _Comparison(Verdict.WRONG, index, (), _Rank.WRONG_ORDER)


def _right_at_best(comparison: _Comparison, rank: _Rank) -> _Comparison:
    """A variant of the model answer is never the model itself: right is "accepted", not "exact"."""
    return replace(comparison, verdict=max(comparison.verdict, Verdict.ACCEPTED, key=_severity), rank=rank)


def _shared_words(words: list[str], model: list[str]) -> int:
    return sum((Counter(w.casefold() for w in words) & Counter(m.casefold() for m in model)).values())


def _severity(verdict: Verdict) -> int:
    return verdict.severity


def _compare(
    written_words: list[str], expected_words: list[str], index: int, morphology: Morphology, target: _Target
) -> _Comparison:
    if written_words and len(written_words) == len(expected_words):
        targets = [target] if len(expected_words) == 1 else _in_context(tuple(expected_words), morphology)
        issues = tuple(
            issue
            for position, (w, e, t) in enumerate(zip(written_words, expected_words, targets, strict=True))
            if (issue := _compare_word(w, e, position, morphology, t)) is not None
        )
    else:
        issues = (_compare_spelling(" ".join(written_words), " ".join(expected_words), None, morphology),)
    worst = max((issue.verdict for issue in issues), key=_severity, default=None)
    if worst is None or worst is Verdict.ACCEPTED:
        worst = Verdict.ACCEPTED if index > 0 or issues else Verdict.EXACT
    return _Comparison(worst, index, issues)


@lru_cache(maxsize=4096)
def _in_context(words: tuple[str, ...], morphology: Morphology) -> list[_Target]:
    """What each word of a model sentence is there, by Vabamorf's disambiguator: "kooli" in "Ma lähen
    kooli" is the (short) illative, so "koolisse" is right there although "kooli" alone might be a
    genitive. A word the disambiguator cannot read, or reads apart from the words, keeps all its readings."""
    tokens = morphology.analyse(" ".join(words) + " .")[:-1]  # read as a whole sentence, full stop and all
    if len(tokens) != len(words):
        return [_Target()] * len(words)
    return [_Target(t.lemma, same_form(t.form)) if t.known and t.form else _Target() for t in tokens]


def _compare_word(
    written: str, expected: str, position: int, morphology: Morphology, target: _Target
) -> WordIssue | None:
    if written.casefold() == expected.casefold():
        return None
    written_readings = _readings(written, morphology)
    expected_readings = target.readings(_readings(expected, morphology))
    # the same word is the same lemma as the same part of speech: "sina" (the pronoun) has no genitive
    # "sina"; that reading belongs to the noun "sina" (the word itself), which must not make it right for "su"
    words = {(a.lemma, a.pos) for a in expected_readings} & {(a.lemma, a.pos) for a in written_readings}
    lemmas = {lemma for lemma, _ in words}
    if not lemmas:
        return _compare_spelling(written, expected, position, morphology)
    mine = {_form_key(a) for a in written_readings if (a.lemma, a.pos) in words}
    theirs = {_form_key(a) for a in expected_readings if (a.lemma, a.pos) in words}
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
    "kassid"; the short illative counts as the illative."""
    return same_form(f"{analysis.form}+{analysis.clitic}" if analysis.clitic else analysis.form)


def _readings(word: str, morphology: Morphology) -> list[Analysis]:
    """Vabamorf's readings of a typed word; learners often type names in lower case ("tallinnas")."""
    readings = morphology.analyse_word(word)
    if not readings and word[:1].islower():
        readings = morphology.analyse_word(word[:1].upper() + word[1:])
    return list(readings)


def _compare_spelling(written: str, expected: str, position: int | None, morphology: Morphology) -> WordIssue:
    folded_written, folded_expected = written.casefold(), expected.casefold()
    letters = diacritic_differences(folded_written, folded_expected)
    if letters is not None:
        return WordIssue(Verdict.DIACRITICS, written, expected, position, letters=letters)
    one_slip = len(folded_expected) >= MIN_TYPO_LENGTH and (
        damerau_levenshtein(fold_diacritics(folded_written), fold_diacritics(folded_expected)) == 1
    )
    real_word = position is not None and bool(_readings(written, morphology))
    return WordIssue(
        Verdict.TYPO if one_slip and not real_word else Verdict.WRONG, written, expected, position
    )
