"""Grade one answer against its exercise: the bridge between an exercise type and the language core.

Runs in a worker thread (Vabamorf is CPU-bound). Exercise types differ in what "right" means:
flashcards shown Estonian-first are graded by the learner (self_grade), multiple choice by exact match,
everything typed in Estonian by the Estonian-aware grader with its feedback. The questions of reading
texts and dialogues go by their kind: choice and true-false by exact match, match pair by pair (right
only when every pair is), short answers by the Estonian-aware grader.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from learning_api.catalog.documents import Exercise
from learning_api.errors import InvalidInput
from learning_api.i18n import translator
from learning_api.language import Verdict, grade, grade_for, normalise

# Sentences take longer to type than words: what counts as a fast (Easy) answer grows with the answer.
FAST_MS_PER_WORD = 2500
# Items answered with a whole sentence of the learner's own making: another word order, a left-out
# pronoun or digits can be right too. A dictation (listen) must be what was said.
SENTENCE_TYPES = frozenset(("translate", "order"))


@dataclass(frozen=True, slots=True)
class Graded:
    verdict: str
    grade: int
    correct: bool
    feedback: str
    expected: str
    details: list[dict[str, Any]] = field(default_factory=list)


class NeedsSelfGrade(ValueError):
    """An Estonian-to-native flashcard is recalled in the learner's head; only they can say how well."""


class UnreadableResponse(InvalidInput):
    """A response that is no answer to the question at all (a true-false answered "maybe", a match with a
    line too few): refused with the reason (a msgid) naming the field `response`, never graded wrong.
    The answer intake refuses that one entry of a batch; elsewhere (placement, mock exams) it is a 422."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, field="response")


# true-false answers as the learner reads them in feedback (msgids)
TRUE_FALSE_SAYS = {
    "true": "True: the text says so.",
    "false": "False: the text says otherwise.",
    "not-given": "Not given: the text does not say.",
}


def _self_graded(exercise: Exercise, self_grade: int | None, lang: str) -> Graded:
    if self_grade is None:
        raise NeedsSelfGrade("You grade this card yourself: send self_grade from 1 to 4.")
    _ = translator(lang)
    meaning = (exercise.translations or {}).get(lang) or (exercise.translations or {}).get("en", "")
    return Graded(
        verdict="self",
        grade=self_grade,
        correct=self_grade > 1,
        feedback=_("Correct!") if self_grade > 1 else _("Not yet: you will see it again soon."),
        expected=meaning,
    )


def _choice(exercise: Exercise, response: str, lang: str, shown: str | None = None) -> Graded:
    """Right is Good, never Easy, however fast: among k options one in k picks is luck (the guessing
    floor), and recognising a word among three says less about recalling it than typing it would.
    ``shown``: the right answer as the feedback names it, when that is not the answer itself."""
    _ = translator(lang)
    right = normalise(response) == normalise(exercise.answers[0])
    return Graded(
        verdict="exact" if right else "wrong",
        grade=grade_for(Verdict.EXACT if right else Verdict.WRONG),
        correct=right,
        feedback=_("Right!")
        if right
        else _("Wrong. The right answer: {answer}").format(answer=shown or exercise.answers[0]),
        expected=exercise.answers[0],
    )


def _true_false(exercise: Exercise, response: str, lang: str) -> Graded:
    said = normalise(response).replace(" ", "-").replace("_", "-")
    if said not in TRUE_FALSE_SAYS:
        raise UnreadableResponse("Answer true, false or not-given.")
    return _choice(exercise, said, lang, translator(lang)(TRUE_FALSE_SAYS[exercise.answers[0]]))


def _match(exercise: Exercise, response: str, lang: str) -> Graded:
    """One right per left, one a line in the order of the lefts; right when every pair is (a half-done
    match is not recalled), and the feedback counts the pairs that were."""
    expected = exercise.answers[0].split("\n")
    given = [line for line in response.strip().splitlines()]
    if len(given) != len(expected):
        raise UnreadableResponse("Match every item: one answer a line, in the order of the items.")
    hits = sum(normalise(a) == normalise(b) for a, b in zip(given, expected, strict=True))
    right = hits == len(expected)
    _ = translator(lang)
    pairs = "; ".join(f"{left} – {r}" for left, r in zip(exercise.lefts or [], expected, strict=False))
    return Graded(
        verdict="exact" if right else "wrong",
        grade=grade_for(Verdict.EXACT if right else Verdict.WRONG),
        correct=right,
        feedback=_("Right!")
        if right
        else _("{right} of {total} pairs right. The right pairs: {answer}").format(
            right=hits, total=len(expected), answer=pairs
        ),
        expected=exercise.answers[0],
    )


def grade_answer(
    exercise: Exercise,
    response: str,
    lang: str,
    *,
    latency_ms: int | None = None,
    hinted: bool = False,
    self_grade: int | None = None,
) -> Graded:
    if exercise.type == "flashcard" and exercise.direction != "native-et":
        result = _self_graded(exercise, self_grade, lang)
    elif exercise.type == "choice" or exercise.kind == "choice":
        result = _choice(exercise, response, lang)
    elif exercise.kind == "true-false":
        result = _true_false(exercise, response, lang)
    elif exercise.kind == "match":
        result = _match(exercise, response, lang)
    else:
        words = max(1, len(exercise.answers[0].split()))
        graded = grade(
            response,
            exercise.answers,
            lang,
            target_form=exercise.form,
            target_lemma=exercise.lemma if exercise.type in ("inflect", "cloze", "flashcard") else None,
            latency_ms=latency_ms,
            fast_ms=FAST_MS_PER_WORD * words,
            sentence=exercise.type in SENTENCE_TYPES or (exercise.kind == "short" and words > 1),
        )
        result = Graded(
            verdict=str(graded.verdict),
            grade=graded.grade,
            correct=graded.correct,
            feedback=graded.feedback,
            expected=graded.expected,
            details=[_issue(issue) for issue in graded.issues],
        )
    if hinted and result.grade > 2:  # a hint helped: recalled, but not on one's own
        return Graded(result.verdict, 2, result.correct, result.feedback, result.expected, result.details)
    return result


def _issue(issue: Any) -> dict[str, Any]:
    return {
        "verdict": str(issue.verdict),
        "written": issue.written,
        "expected": issue.expected,
        "position": issue.position,
        "written_forms": list(issue.written_forms),
        "expected_forms": list(issue.expected_forms),
    }


def grading_key(item_id: str, version: int, exercise: Exercise, answer: Any, lang: str) -> tuple[Any, ...]:
    """What a grade depends on: the exercise (immutable per lesson version), the response as written, the
    language of the feedback, whether the answer was fast for its length, a hint, a self-grade."""
    words = max(1, len(exercise.answers[0].split())) if exercise.answers else 1
    fast = answer.latency_ms is not None and answer.latency_ms <= FAST_MS_PER_WORD * words
    return (item_id, version, answer.response, lang, fast, answer.hinted, answer.self_grade)


class GradeCache:
    """Per-worker grades by `grading_key`, the least recently used dropped beyond ``size``. Grading runs
    in worker threads, so it is locked (briefly: a dict operation)."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._grades: OrderedDict[tuple[Any, ...], Graded | tuple[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Graded | tuple[str, str] | None:
        with self._lock:
            outcome = self._grades.get(key)
            if outcome is not None:
                self._grades.move_to_end(key)
            return outcome

    def put(self, key: tuple[Any, ...], outcome: Graded | tuple[str, str]) -> None:
        with self._lock:
            self._grades[key] = outcome
            if len(self._grades) > self.size:
                self._grades.popitem(last=False)


GRADES = GradeCache()
