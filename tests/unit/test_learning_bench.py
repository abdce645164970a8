"""The learning bench's simulated learner: a wrong answer must reach the log as a wrong answer. A reply
the app refuses as unreadable (a one-line "ei tea" to a true-false or a match question) is never logged,
so only the right answers to those questions counted and the reading and listening abilities the
readiness model reads were inflated (found comparing the app's estimates with the bench's truth)."""

from __future__ import annotations

import pytest

from learning_api.catalog.documents import Exercise
from learning_api.study.grading import grade_answer
from scripts.bench.learning import _wrong


def _question(kind: str, answers: list[str], **fields: object) -> Exercise:
    return Exercise(
        id=f"a2-01-test-r1-{kind}", type="reading", skill="reading", lemmas=[], answers=answers,
        group="a2-01-test-r1", kind=kind, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    "question",
    [
        _question("true-false", ["not-given"], statement="Ivan on kohvikus varem töötanud."),
        _question("true-false", ["true"], statement="Ivan töötab kohvikus."),
        _question(
            "match", ["kella kaheksast\nsuletud"], prompt="Millal?", lefts=["esmaspäeval", "pühapäeval"],
            rights=["kella kaheksast", "suletud"],
        ),
        _question("choice", ["teenindajat"], prompt="Keda?", options=["kokka", "teenindajat"]),
        _question("short", ["kell kümme"], prompt="Mis kell?"),
    ],
)
def test_a_simulated_wrong_answer_is_graded_wrong_not_refused(question: Exercise) -> None:
    graded = grade_answer(question, _wrong(question), "en")
    assert not graded.correct
