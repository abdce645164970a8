"""Item statistics for authors, per lesson: attempts, share right (first tries and all answers), median
time, the calibrated 2PL parameters and learners' reports, with flags for items worth a look. Grouped
queries per lesson (one per figure), whatever the number of items or learners."""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from sqlalchemy import Integer, and_, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.authoring.schemas import ItemStatsOut
from learning_api.db.tables import Answer, Item, ItemFeedback, Lesson
from learning_api.errors import NotFound
from learning_api.pagination import PageQuery, bounded

MIN_EVIDENCE = 20  # first attempts before an item is flagged too hard or too easy
TOO_HARD, TOO_EASY = 0.3, 0.98
FLAT_DISCRIMINATION = 0.3  # a calibrated a below this: right and wrong answers say little about ability


async def lesson_item_stats(
    session: AsyncSession, lesson_id: str, page: PageQuery | None = None
) -> list[ItemStatsOut]:
    """Every item of the lesson (the CLI), or one page plus one item (the API: see pagination.page_of)."""
    if await session.get(Lesson, lesson_id) is None:
        raise NotFound("no such lesson", field="lesson_id")
    query = (
        select(Item).where(Item.lesson_id == lesson_id, Item.removed_in_version.is_(None)).order_by(Item.id)
    )
    items = list(await session.scalars(bounded(query, page) if page else query))
    ids = [item.id for item in items]
    in_lesson = Answer.item_id.in_(ids)
    totals = {
        item: (n, right, learners)
        for item, n, right, learners in await session.execute(
            select(
                Answer.item_id,
                func.count(),
                func.sum(cast(Answer.correct, Integer)),
                func.count(func.distinct(Answer.learner_id)),
            )
            .where(in_lesson)
            .group_by(Answer.item_id)
        )
    }
    first = (
        select(Answer.learner_id, Answer.item_id, func.min(Answer.answered_at).label("at"))
        .where(in_lesson)
        .group_by(Answer.learner_id, Answer.item_id)
        .subquery()
    )
    firsts = {
        item: (n, right)
        for item, n, right in await session.execute(
            select(Answer.item_id, func.count(), func.sum(cast(Answer.correct, Integer)))
            .join(
                first,
                and_(
                    Answer.learner_id == first.c.learner_id,
                    Answer.item_id == first.c.item_id,
                    Answer.answered_at == first.c.at,
                ),
            )
            .group_by(Answer.item_id)
        )
    }
    latencies: dict[str, list[int]] = defaultdict(list)
    for item, latency in await session.execute(
        select(Answer.item_id, Answer.latency_ms).where(in_lesson, Answer.latency_ms.is_not(None))
    ):
        latencies[item].append(latency)
    feedback = {
        item: (ratings, mean, reports)
        for item, ratings, mean, reports in await session.execute(
            select(
                ItemFeedback.item_id,
                func.count(ItemFeedback.rating),
                func.avg(ItemFeedback.rating),
                func.sum(cast(ItemFeedback.kind == "error", Integer)),
            )
            .where(ItemFeedback.item_id.in_(ids))
            .group_by(ItemFeedback.item_id)
        )
    }
    return [_stats(item, totals, firsts, latencies, feedback) for item in items]


def _share(right: int | None, n: int) -> float | None:
    return round(int(right or 0) / n, 3) if n else None


def _stats(item: Item, totals: dict, firsts: dict, latencies: dict, feedback: dict) -> ItemStatsOut:  # type: ignore[type-arg]
    n, right, learners = totals.get(item.id, (0, 0, 0))
    first_n, first_right = firsts.get(item.id, (0, 0))
    ratings, mean, reports = feedback.get(item.id, (0, None, 0))
    first_share = _share(first_right, first_n)
    flags = []
    if first_n >= MIN_EVIDENCE and first_share is not None:
        if first_share < TOO_HARD:
            flags.append("too hard")
        elif first_share > TOO_EASY:
            flags.append("too easy")
    if reports:
        flags.append("reported")
    if item.n_answers >= MIN_EVIDENCE and item.irt_a < FLAT_DISCRIMINATION:
        flags.append("does not discriminate")
    lat = latencies.get(item.id)
    return ItemStatsOut(
        item_id=item.id,
        lesson_id=item.lesson_id,
        type=item.type,
        skill=item.skill,
        level=item.level,
        attempts=n,
        learners=learners,
        first_attempt_right=first_share,
        share_right=_share(right, n),
        median_latency_ms=int(median(lat)) if lat else None,
        irt_a=round(item.irt_a, 3),
        irt_b=round(item.irt_b, 3),
        ratings=ratings,
        mean_rating=round(float(mean), 2) if mean is not None else None,
        error_reports=int(reports or 0),
        flags=flags,
    )
