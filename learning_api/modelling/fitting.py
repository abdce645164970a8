"""`keelerada models fit`: memory weights from the answer log, scored on answers they did not see.

The newest `holdout` share of scored reviews (a day or more after the pair's previous answer, as in
srs-benchmark) is held out by time. The candidate (the recall model of `models.recall`: fitted FSRS-6
plus its logistic layer, or FSRS-6 alone while the log is too short for the layer) is fitted on the older
part, with per-learner weights for learners with enough reviews, shrunk to the global fit. It and the
version served now are scored on the same held-out reviews; the candidate is promoted only if its log
loss is not worse. With no version yet, "served" is FSRS-6 with default weights: what the app used
before any fit. A log unchanged since the current version is not refitted (re-running is a no-op).

Both are scored as the request path serves them: their FSRS-6 weights (each learner's own where fitted).
The layer needs every answer's history features (drills, lapses, form, latencies), which no request
computes, so it is not served; promoting on the layer's score would promote on a model no learner is
scheduled by. The layer is still fitted, stored with the version and its score reported beside
("candidate_with_layer"): what serving it would gain.
The version also carries the retention the scheduler aims at with it (`models.retention`): the product's
target moved by the candidate's own miscalibration near it, measured on the same held-out reviews.
Placement answers are ability evidence, not memory reviews, and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.db.tables import LearnerModelParams, ModelKind, User
from learning_api.modelling.answer_log import AnswerColumns, read_answers, read_items
from learning_api.modelling.service import add_version, current_row, latest_row
from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.metrics import auc, log_loss, rmse_bins
from models.recall import RecallModel
from models.replay import History
from models.retention import scheduling_retention
from models.reviewlog import ReviewLog

HOLDOUT = 0.2
MIN_SCORED = 100  # scored reviews below which nothing is fitted
MIN_LAYER_REVIEWS = 3000  # scored training reviews the logistic layer needs; fewer: FSRS-6 alone
MIN_LEARNER_REVIEWS = 200
LEARNER_SHRINKAGE = 50.0


class NotEnoughAnswers(Exception):
    """The log is too short to fit or to score anything yet."""


@dataclass(frozen=True)
class FitOutcome:
    version: int | None  # None: the log had not changed, nothing was fitted
    promoted: bool
    scores: dict[str, Any]
    learners: int


def _scores(y: np.ndarray, p: np.ndarray, history: History, rows: np.ndarray) -> dict[str, float]:
    return {
        "log_loss": round(log_loss(y, p), 5), "auc": round(auc(y, p), 5),
        "rmse_bins": round(rmse_bins(y, p, history.days[rows], history.day_index[rows],
                                     history.lapses_before[rows]), 5),
    }  # fmt: skip


async def _served_model(
    session: AsyncSession, params: dict[str, Any] | None, answers: AnswerColumns
) -> RecallModel:
    """The version served now as a model over this log (its learners' own weights included)."""
    if params is None:
        return RecallModel.from_params({"weights": FSRS6_DEFAULT_WEIGHTS.tolist(), "exact_time": False}, {})
    codes = {learner_id: k for k, learner_id in enumerate(answers.learner_ids)}
    rows = await session.scalars(
        select(LearnerModelParams).where(LearnerModelParams.model == ModelKind.MEMORY)
    )
    own = {codes[r.learner_id]: np.asarray(r.weights, float) for r in rows if r.learner_id in codes}
    return served_part(RecallModel.from_params(params, own))


def served_part(model: RecallModel) -> RecallModel:
    """The part of a fitted model the request path serves: its weights, without the layer."""
    return RecallModel.from_params({**model.to_params(), "layer": None}, model.learner_weights_)


def split(log: ReviewLog, holdout: float) -> tuple[History, np.ndarray, np.ndarray]:
    """(history, train flags, held-out scored rows): the newest `holdout` share of scored reviews."""
    history = History.from_log(log)
    scored = np.flatnonzero(history.days >= 1)
    if len(scored) < MIN_SCORED:
        raise NotEnoughAnswers(f"{len(scored)} reviews a day or more apart; {MIN_SCORED} needed to fit")
    first_test = int(scored[int(len(scored) * (1 - holdout))])
    train = np.zeros(len(log), bool)
    train[:first_test] = True
    return history, train, scored[scored >= first_test]


async def fit_memory(
    session: AsyncSession, now: datetime, holdout: float = HOLDOUT, progress: bool = True
) -> FitOutcome:
    items = await read_items(session)
    answers = await read_answers(session, items, progress=progress)
    latest = await latest_row(session, ModelKind.MEMORY)
    if latest is not None and latest.report.get("newest") == answers.newest:
        return FitOutcome(None, False, latest.scores, 0)
    current = await current_row(session, ModelKind.MEMORY)
    reviews = answers.take(np.flatnonzero(~answers.placement))
    log = reviews.review_log(items)
    history, train, test = split(log, holdout)
    n_train = int((train & (history.days >= 1)).sum())
    candidate = RecallModel(
        layer=n_train >= MIN_LAYER_REVIEWS,
        min_learner_reviews=MIN_LEARNER_REVIEWS,
        learner_shrinkage=LEARNER_SHRINKAGE,
    ).fit(log, train)
    served = await _served_model(session, current.params if current else None, reviews)
    y = (history.grade[test] > 1).astype(float)
    predicted = served_part(candidate).predict(log)[test]
    retention = scheduling_retention(predicted, y)
    scores = {
        "candidate": _scores(y, predicted, history, test),
        "candidate_with_layer": _scores(y, candidate.predict(log)[test], history, test),
        "served": _scores(y, served.predict(log)[test], history, test),
        "served_version": current.version if current else None,
        "family": "recall" if candidate.coef_ is not None else "fsrs6",
        "held_out_reviews": len(test), "training_reviews": n_train, "retention": round(retention, 4),
    }  # fmt: skip
    promote = scores["candidate"]["log_loss"] <= scores["served"]["log_loss"]
    report = {"newest": answers.newest, "learner_weights": len(candidate.learner_weights_)}
    params = {**candidate.to_params(), "retention": retention}
    row = await add_version(session, ModelKind.MEMORY, params, scores, report, len(answers), promote, now)
    if promote:
        await _store_learner_weights(session, candidate, reviews, history, row.version, now)
    return FitOutcome(row.version, promote, scores, len(candidate.learner_weights_))


async def _store_learner_weights(
    session: AsyncSession,
    model: RecallModel,
    reviews: AnswerColumns,
    history: History,
    version: int,
    now: datetime,
) -> None:
    """Upsert each fitted learner's weights; learners whose account is gone (anonymised answers) have none."""
    counts = np.bincount(reviews.learner[history.days >= 1], minlength=len(reviews.learner_ids))
    ids = [reviews.learner_ids[code] for code in model.learner_weights_]
    accounts = set(await session.scalars(select(User.id).where(User.id.in_(ids)))) if ids else set()
    for code, weights in model.learner_weights_.items():
        learner_id = reviews.learner_ids[code]
        if learner_id not in accounts:
            continue
        row = await session.get(LearnerModelParams, (learner_id, ModelKind.MEMORY.value))
        if row is None:
            row = LearnerModelParams(learner_id=learner_id, model=ModelKind.MEMORY.value)
            session.add(row)
        row.version, row.weights, row.n_reviews, row.fitted_at = (
            version,
            weights.tolist(),
            int(counts[code]),
            now,
        )
