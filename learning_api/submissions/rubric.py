"""The exam's criteria for the writing and speaking parts, in one place: what a teacher scores on, and
how the scores become the part's points out of 25.

What this is based on. HARNO's tasemeeksam scores writing and speaking by trained raters on analytic
criteria and reports each part out of 25 points (pass: 60 of 100, no part at 0). The official rating
scales could not be looked up while this was written, so the criteria are the ones every CEFR-aligned
rating scale shares, as the brief allowed: task fulfilment, vocabulary, grammar (accuracy of forms),
and coherence for writing or fluency for speaking, plus pronunciation for speaking. Each is scored 0–5.
A part's points are the criteria's sum scaled linearly to 25 (writing 20 raw points × 1.25; speaking
25 raw points × 1), rounded to one decimal. The 2002 REKK handbook converts raw writing points to the
0–25 scale with a table, not linearly; replace `part_points` with that table when the current one is
known — nothing else reads the scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

PART_POINTS = 25
CRITERION_MAX = 5

Criterion = Literal["task", "vocabulary", "grammar", "coherence", "fluency", "pronunciation"]
CRITERIA: dict[str, tuple[str, ...]] = {
    "writing": ("task", "vocabulary", "grammar", "coherence"),
    "speaking": ("task", "vocabulary", "grammar", "fluency", "pronunciation"),
}
# msgids: what each criterion asks, shown to teachers and to learners who assess themselves
DESCRIPTIONS: dict[str, str] = {
    "task": "Task fulfilment: every point of the task is answered, in the genre and register asked for.",
    "vocabulary": "Vocabulary: words fit the topic and are varied enough for the level.",
    "grammar": "Grammar: forms and word order are correct; errors do not hinder understanding.",
    "coherence": "Coherence: the text is organised and its sentences are linked.",
    "fluency": "Fluency: the answer flows, with few long pauses or restarts.",
    "pronunciation": "Pronunciation: sounds, length and stress are clear enough to follow easily.",
}
assert set(DESCRIPTIONS) == set(get_args(Criterion))


def criteria_of(kind: str) -> tuple[str, ...]:
    return CRITERIA[kind]


def invalid_scores(kind: str, scores: Mapping[str, int]) -> str | None:
    """None when ``scores`` gives every criterion of the part a whole number 0–5 and nothing else; else
    the problem, naming the criterion."""
    wanted = CRITERIA[kind]
    if missing := [c for c in wanted if c not in scores]:
        return f"scores: {kind} is scored on {', '.join(wanted)}; missing {', '.join(missing)}"
    if extra := [c for c in scores if c not in wanted]:
        return f"scores: {', '.join(extra)} is not a {kind} criterion (they are {', '.join(wanted)})"
    for criterion, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= CRITERION_MAX:
            return f"scores.{criterion}: a whole number from 0 to {CRITERION_MAX}"
    return None


def part_points(kind: str, scores: Mapping[str, int]) -> float:
    """The part's points out of 25 from the criteria's scores (linear: see the module's docstring)."""
    raw = sum(scores[c] for c in CRITERIA[kind])
    return round(PART_POINTS * raw / (CRITERION_MAX * len(CRITERIA[kind])), 1)
