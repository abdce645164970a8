"""This week's study plan: a few concrete focuses, each with the reason, in the learner's language.

Written for the learner and for a language counsellor reading over their shoulder, so every line says
why, with the number behind it.
"""

from __future__ import annotations

from learning_api.i18n import translator
from learning_api.progress.schemas import PlanItem
from models.ability import SKILLS
from models.readiness import Readiness


def weekly_plan(
    lang: str,
    readiness: Readiness,
    due_today: int,
    due_week: int,
    next_lesson_title: str | None,
    streak_days: int,
    daily_goal_items: int,
    practisable: set[str],
) -> list[PlanItem]:
    _ = translator(lang)
    # The skill to practise: the one whose improvement helps the pass most, among those the course has
    # exercises for (readiness itself also weighs skills the course cannot train yet).
    gains = {s: g for s, g in zip(SKILLS, readiness.skill_gains, strict=True) if s in practisable}
    best = max(gains, key=gains.get) if gains else readiness.weakest_skill
    skill, gain = _(best), gains.get(best, 0.0)  # skill names are msgids too
    plan = [
        PlanItem(
            focus=_("Practise {skill}").format(skill=skill),
            why=_("It holds your {level} exam readiness back the most: getting better at it raises your "
                  "chance to pass by {points} percentage points.").format(
                level=readiness.level, points=round(100 * gain, 1)
            ),
        )
    ]  # fmt: skip
    if due_today or due_week:
        plan.append(
            PlanItem(
                focus=_("Do your reviews: {today} today, {week} more this week").format(
                    today=due_today, week=due_week
                ),
                why=_("A review just before you would forget keeps a word for much longer."),
            )
        )
    if next_lesson_title:
        plan.append(
            PlanItem(
                focus=_("Continue with the lesson “{title}”").format(title=next_lesson_title),
                why=_("It is the next lesson of your course."),
            )
        )
    if streak_days < 3:
        plan.append(
            PlanItem(
                focus=_("Study {items} items every day").format(items=daily_goal_items),
                why=_("Short daily sessions are remembered better than long rare ones."),
            )
        )
    return plan
