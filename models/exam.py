"""The tasemeeksam's facts, written once: its parts, their points, the pass rule and the time limits.

Everything else (the readiness model, the mock exam's assembly, timing and scoring) reads them from here.

Points and pass rule: four parts of 25 points; passed with at least 60 of 100 points and no part at 0.
Source: the exam board's FAQ on the Estonian language proficiency examinations (Innove, now HARNO,
Haridus- ja Noorteamet): "at least 60 per cent of the total sum ... The score can not be 0 for any of the
examination parts"; 25 points per part: the board's "Structure of the exam" page. Checked 2026-12.

Time limits per part (minutes), A2 and B1: the board's structure tables "Eesti keele A2-taseme eksami
ülesehitus" and "Eesti keele B1-taseme eksami ülesehitus" (innove.ee, published 2020-05; HARNO took over
Innove's exams in 2020). A2: kirjutamine 30, kuulamine 30, lugemine 50, rääkimine 15. B1: kirjutamine 30,
kuulamine 30-35 (the upper end is used here), lugemine 50, rääkimine 15. Checked 2026-12 against stored
copies of those tables; NOT confirmed against harno.ee's current pages, which were not reachable from
here: check them there before relying on the minutes (FACTS_CHECKED says when this was last done).
"""

from __future__ import annotations

from typing import Literal, get_args

FACTS_CHECKED = "2026-12"

ExamPart = Literal["listening", "reading", "writing", "speaking"]
EXAM_PARTS: tuple[str, ...] = get_args(ExamPart)
ExamLevel = Literal["A2", "B1"]
MOCK_LEVELS: tuple[str, ...] = get_args(ExamLevel)  # the levels the mock exam is assembled for

PART_POINTS = 25
PASS_TOTAL = 60

TIME_LIMIT_MINUTES: dict[str, dict[str, int]] = {
    "A2": {"listening": 30, "reading": 50, "writing": 30, "speaking": 15},
    "B1": {"listening": 35, "reading": 50, "writing": 30, "speaking": 15},
}


def passed(points: dict[str, int]) -> bool:
    """The exam's rule: every part taken, a total of at least PASS_TOTAL and no part at 0."""
    return (
        set(points) == set(EXAM_PARTS)
        and sum(points.values()) >= PASS_TOTAL
        and all(p > 0 for p in points.values())
    )


def part_points(correct: float, total: int) -> int:
    """A machine-scored part's points: the share answered right on the exam's 25-point scale, rounded
    half up (a part of 10 questions: 6 right -> 15 points)."""
    if total <= 0:
        raise ValueError("a part without questions has no score")
    return int(PART_POINTS * correct / total + 0.5)
