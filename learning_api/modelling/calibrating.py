"""`keelerada models calibrate`: 2PL item parameters per skill from first attempts, on the authors' scale.

Only a learner's first answer to a word is evidence of what the items ask (later ones, and a sibling
exercise of a word just practised, measure memory of it, and practice makes items look easier than they
are), so each skill's items are calibrated by MML/EM (`models.calibration`) from those first attempts
alone (`first_attempts`), then linked to the authors' levels
(`models.linking`) so the scale does not wander between runs. Items with fewer than `min_answers`
first attempts keep their prior (the author's level). The same run derives the CEFR cut points from
the calibrated bank, each item's placement exposure (share of placement tests that asked it), the item
counters, and a drift report against the version served now. Re-running on an unchanged log is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.levels import DEFAULT_CUTS, LEVELS, MASTERY_LOGIT
from learning_api.db.tables import Item, ModelKind
from learning_api.modelling.answer_log import AnswerColumns, ItemTable, read_answers, read_items
from learning_api.modelling.params import CurrentParams
from learning_api.modelling.service import add_version, current_row, latest_row
from models.calibration import TwoPLCalibrator
from models.linking import anchored_cuts, link_to_levels

MIN_ANSWERS = 20
DRIFT_FLAG = 0.5  # logits of difficulty change worth a look


@dataclass(frozen=True)
class CalibrateOutcome:
    version: int | None
    calibrated: int
    kept_prior: int
    report: dict[str, Any]


def first_attempts(answers: AnswerColumns, items: ItemTable) -> np.ndarray:
    """Rows of each learner's first answer to each word (an item's first lemma; an item without one is
    a word of its own); the log is in time order. The first exercise of a word a learner meets measures
    what they bring to it; a sibling exercise of a word they have just practised measures their memory
    of it and comes out right almost whatever their level, which made every item look razor sharp
    (calibrated a at the prior's ceiling) and pinned the abilities estimated with them to the items'
    difficulties."""
    lemma = items.lemma[answers.item]
    word = np.where(lemma >= 0, lemma, items.lemma.max(initial=-1) + 1 + answers.item)
    _, first = np.unique(answers.learner * (int(word.max(initial=0)) + 1) + word, return_index=True)
    return np.sort(first)


def calibrate_skill(
    answers: AnswerColumns, rows: np.ndarray, items: ItemTable, min_answers: int
) -> dict[str, tuple[float, float, int]]:
    """{item id: (a, b, first attempts)} for the skill's items with enough first attempts."""
    local_items, item_code = np.unique(answers.item[rows], return_inverse=True)
    local_learners, learner_code = np.unique(answers.learner[rows], return_inverse=True)
    counts = np.bincount(item_code, minlength=len(local_items))
    anchored = counts >= min_answers
    if not anchored.any() or len(local_learners) < 2:
        return {}
    model = TwoPLCalibrator(n_items=len(local_items)).fit(
        np.c_[learner_code, item_code], answers.correct[rows]
    )
    level = np.array([LEVELS.index(items.level[i]) for i in local_items])
    a, b, _, _ = link_to_levels(
        model.a_[anchored],
        model.b_[anchored],
        items.prior_b[local_items][anchored],
        level[anchored],
        counts[anchored],
    )
    ids = [items.ids[i] for i in local_items[anchored]]
    return {
        i: (round(float(x), 4), round(float(y), 4), int(n))
        for i, x, y, n in zip(ids, a, b, counts[anchored], strict=True)
    }


def _drift(
    items: ItemTable, new: dict[str, tuple[float, float, int]], served: CurrentParams
) -> dict[str, Any]:
    if not new:
        return {"items": 0}
    ids = list(new)
    before = np.array([served.item_ab(i, *_prior(items, i))[1] for i in ids])
    after = np.array([new[i][1] for i in ids])
    change = after - before
    top = np.argsort(-np.abs(change))[:10]
    by_level = {}
    for level in LEVELS:
        own = np.array([items.level[items.index[i]] == level for i in ids])
        if own.any():
            by_level[level] = {
                "mean_b": round(float(after[own].mean()), 3),
                "prior_b": round(
                    float(items.prior_b[[items.index[i] for i in np.array(ids)[own]]].mean()), 3
                ),
            }
    return {
        "items": len(ids), "mean_abs_change_b": round(float(np.abs(change).mean()), 4),
        "moved_more_than": DRIFT_FLAG, "moved": int((np.abs(change) > DRIFT_FLAG).sum()),
        "largest": [{"item": ids[k], "b_before": round(float(before[k]), 3),
                     "b_after": round(float(after[k]), 3)} for k in top],
        "by_level": by_level,
    }  # fmt: skip


def _prior(items: ItemTable, item_id: str) -> tuple[float, float]:
    k = items.index[item_id]
    return float(items.prior_a[k]), float(items.prior_b[k])


def placement_exposure(answers: AnswerColumns, items: ItemTable) -> dict[str, float]:
    """Share of placement takers each item was asked of (a retake counts once per learner)."""
    rows = np.flatnonzero(answers.placement)
    takers = len(np.unique(answers.learner[rows]))
    if takers == 0:
        return {}
    pairs = np.unique(answers.learner[rows] * len(items.ids) + answers.item[rows])
    counts = np.bincount(pairs % len(items.ids), minlength=len(items.ids))
    return {items.ids[k]: round(float(counts[k] / takers), 4) for k in np.flatnonzero(counts)}


async def update_counters(session: AsyncSession, answers: AnswerColumns, items: ItemTable) -> None:
    """Item.n_answers / n_correct recomputed from the whole log (idempotent, unlike increments)."""
    n = np.bincount(answers.item, minlength=len(items.ids))
    right = np.bincount(answers.item, weights=answers.correct, minlength=len(items.ids))
    await session.execute(
        update(Item),
        [
            {"id": items.ids[k], "n_answers": int(n[k]), "n_correct": int(right[k])}
            for k in range(len(items.ids))
        ],
    )


async def calibrate_items(
    session: AsyncSession, now: datetime, min_answers: int = MIN_ANSWERS, progress: bool = True
) -> CalibrateOutcome:
    items = await read_items(session)
    answers = await read_answers(session, items, progress=progress)
    latest = await latest_row(session, ModelKind.ITEMS)
    if latest is not None and latest.report.get("newest") == answers.newest:
        return CalibrateOutcome(None, len(latest.params.get("items", {})), 0, latest.report)
    await update_counters(session, answers, items)
    first = first_attempts(answers, items)
    skills = np.array(items.skill)[answers.item[first]]
    calibrated: dict[str, tuple[float, float, int]] = {}
    for skill in np.unique(skills):
        calibrated |= calibrate_skill(answers, first[skills == skill], items, min_answers)
    b = np.array([v[1] for v in calibrated.values()])
    levels = np.array([LEVELS.index(items.level[items.index[i]]) for i in calibrated], dtype=int)
    cuts = anchored_cuts(b, levels, DEFAULT_CUTS, MASTERY_LOGIT) if calibrated else np.array(DEFAULT_CUTS)
    current = await current_row(session, ModelKind.ITEMS)
    served = CurrentParams.from_rows(None, current)
    report = {
        "newest": answers.newest, "first_attempts": len(first), "min_answers": min_answers,
        "kept_prior": len(items.ids) - len(calibrated), "drift": _drift(items, calibrated, served),
        "cuts_before": list(served.cuts),
    }  # fmt: skip
    params = {
        "items": {i: [v[0], v[1]] for i, v in calibrated.items()},
        "cuts": [round(float(c), 4) for c in cuts],
        "exposure": placement_exposure(answers, items),
    }
    scores = {
        "calibrated_items": len(calibrated),
        "levels": sorted({items.level[items.index[i]] for i in calibrated}),
    }
    row = await add_version(session, ModelKind.ITEMS, params, scores, report, len(answers), True, now)
    return CalibrateOutcome(row.version, len(calibrated), report["kept_prior"], report)
