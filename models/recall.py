"""Keelerada's recall predictor: fitted FSRS-6 as the backbone, a small logistic layer on top.

The layer keeps FSRS-6's log-odds as a fixed offset and learns only corrections from `models.features`,
with an L2 penalty pulling them to zero. With no useful signal it therefore falls back to fitted FSRS-6
instead of drifting away from it, which a plain logistic regression on the same columns did on the
Anki log (it lost 0.003 log loss there). The FSRS-6 weights are fitted with recent reviews weighted
more, because learners change over the months a log covers.

The layer also gets every column multiplied by FSRS-6's log-odds, and those log-odds alone: a signal may
then make FSRS-6 more or less sure of itself (steepen or flatten its curve), not only shift it. Without
the track-record columns of `models.features.card_record` this gained nothing; with them it added
+0.003 AUC on the Anki log (both chosen on that log).
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from models.features import FeatureSpec, card_record, recall_features
from models.fit import FitTarget, fit_fsrs, fit_per_learner
from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.replay import History, Trace, run_fsrs
from models.reviewlog import ReviewLog

_EPS = 1e-6


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def fit_offset_logistic(x: np.ndarray, offset: np.ndarray, y: np.ndarray, penalty: float
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(coef, mean, scale) of p = σ(offset + ((x − mean)/scale)·coef[:-1] + coef[-1]), L2 on coef."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale

    def loss(coef: np.ndarray) -> tuple[float, np.ndarray]:
        p = np.clip(expit(offset + z @ coef[:-1] + coef[-1]), _EPS, 1 - _EPS)
        value = -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) + penalty * np.sum(coef**2)
        grad = np.r_[z.T @ (p - y), np.sum(p - y)] + 2 * penalty * coef
        return float(value), grad

    coef = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B").x
    return coef, mean, scale


def layer_inputs(x: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """The columns, each again times FSRS-6's log-odds, and the log-odds themselves (see module doc)."""
    return np.column_stack([x, x * offset[:, None], offset])


class RecallModel:
    """Predicts P(recall) for every answer of a log from the answers before it.

    `fit(log, train)` learns from the answers flagged in `train` (only those at least a day after the
    pair's previous answer count, as in srs-benchmark); `predict(log)` scores every answer of a log that
    may extend the training one (same learner codes), using only earlier answers for each. FSRS-6 weights
    are global, plus per learner for those with `min_learner_reviews` scored reviews, shrunk towards the
    global set with `learner_shrinkage`. `layer=False` fits FSRS-6 alone (the fallback for a log too short
    to train the layer); `to_params`/`from_params` carry a fitted model through JSON.
    """

    def __init__(self, day_start_hour: float | None = None, recency_half_life: float | None = 1500.0,
                 penalty: float = 30.0, prior_weights: np.ndarray = FSRS6_DEFAULT_WEIGHTS,
                 min_learner_reviews: int = 200, learner_shrinkage: float = 50.0, exact_time: bool = True,
                 layer: bool = True) -> None:
        self.day_start_hour = day_start_hour
        self.recency_half_life = recency_half_life
        self.penalty = penalty
        self.prior_weights = prior_weights
        self.min_learner_reviews = min_learner_reviews
        self.learner_shrinkage = learner_shrinkage
        self.exact_time = exact_time
        self.layer = layer

    def fit(self, log: ReviewLog, train: np.ndarray) -> RecallModel:
        last = int(np.flatnonzero(train).max(initial=-1)) + 1
        seen = log.take(slice(0, last))
        history = History.from_log(seen, self.day_start_hour)
        target = FitTarget.from_history(history, train[:last], self.recency_half_life, self.exact_time)
        self.weights_ = fit_fsrs(target, prior=self.prior_weights)
        self.learner_weights_: dict[int, np.ndarray] = {}
        if len(np.unique(seen.learner)) > 1:
            self.learner_weights_ = fit_per_learner(
                seen, self.weights_, train[:last], self.min_learner_reviews, self.learner_shrinkage,
                self.day_start_hour, self.recency_half_life, self.exact_time)
        self.coef_: np.ndarray | None = None
        if not self.layer:
            return self
        trace = self._trace(seen, history)
        self.spec_ = FeatureSpec.of(seen)
        rows = target.scored
        offset = _logit(trace.r.real[rows])
        x = layer_inputs(self._features(seen, history, trace)[rows], offset)
        y = (history.grade[rows] > 1).astype(float)
        self.coef_, self.mean_, self.scale_ = fit_offset_logistic(x, offset, y, self.penalty)
        return self

    def _trace(self, log: ReviewLog, history: History) -> Trace:
        """FSRS-6 replay with the global weights, redone per learner who has weights of their own."""
        trace = run_fsrs(history, self.weights_, self.exact_time)
        for learner, weights in self.learner_weights_.items():
            rows = np.flatnonzero(log.learner == learner)
            own = run_fsrs(History.from_log(log.take(rows), self.day_start_hour), weights, self.exact_time)
            for field in fields(Trace):
                getattr(trace, field.name)[rows] = getattr(own, field.name)
        return trace

    def _features(self, log: ReviewLog, history: History, trace: Trace) -> np.ndarray:
        return np.column_stack([recall_features(log, history, trace, self.spec_), card_record(log, history)])

    def predict(self, log: ReviewLog) -> np.ndarray:
        history = History.from_log(log, self.day_start_hour)
        trace = self._trace(log, history)
        if self.coef_ is None:
            return trace.r.real
        offset = _logit(trace.r.real)
        z = (layer_inputs(self._features(log, history, trace), offset) - self.mean_) / self.scale_
        return expit(offset + z @ self.coef_[:-1] + self.coef_[-1])

    def to_params(self) -> dict:
        """JSON-ready global part of a fitted model (per-learner weights are stored per learner)."""
        layer = None if self.coef_ is None else {
            "coef": self.coef_.tolist(), "mean": self.mean_.tolist(), "scale": self.scale_.tolist(),
            "spec": {"exercise_codes": list(self.spec_.exercise_codes), "lemma": self.spec_.lemma,
                     "item_difficulty": self.spec_.item_difficulty, "learners": self.spec_.learners},
        }
        return {"weights": self.weights_.tolist(), "exact_time": self.exact_time, "layer": layer}

    @classmethod
    def from_params(cls, params: dict, learner_weights: dict[int, np.ndarray]) -> RecallModel:
        """The model `to_params` described, with `learner_weights` keyed by the log's learner codes."""
        model = cls(exact_time=bool(params.get("exact_time", True)), layer=params.get("layer") is not None)
        model.weights_ = np.asarray(params["weights"], float)
        model.learner_weights_ = learner_weights
        model.coef_ = None
        if (layer := params.get("layer")) is not None:
            spec = layer["spec"]
            model.spec_ = FeatureSpec(tuple(spec["exercise_codes"]), spec["item_difficulty"], spec["lemma"],
                                      spec["learners"])
            model.coef_, model.mean_, model.scale_ = (
                np.asarray(layer[k], float) for k in ("coef", "mean", "scale"))
        return model
