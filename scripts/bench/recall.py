"""Recall-prediction benchmark on a real review log, srs-benchmark protocol, all models in one run.

    .venv/bin/python scripts/bench/recall.py ../shared/data/reviews/anki_josh_2024.csv [--json]

Protocol (../shared/data/README.md): per pair, reviews in time order; a review is scored when it comes
at least one day after the pair's previous one; the outcome is grade > 1. Scored reviews are split by
time with TimeSeriesSplit(5); each model is fitted on the older part and scores the next fold; the five
test folds are pooled. Printed per model: log loss, AUC, RMSE(bins) and each as a ratio to FSRS-6 with
default weights. With --json the last line is one JSON object with the same numbers.

Days are counted as Anki does: a day starts at a fixed UTC hour, by default the middle of the longest run
of hours with the fewest reviews (the learner's overnight gap: 10:00 UTC for anki_josh_2024.csv);
`--day-start-hour none` counts whole 24-hour periods as py-fsrs does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.model_selection import TimeSeriesSplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from models.baselines import answer_counts, fit_hlr, hlr_recall, sm2_recall
from models.fit import FitTarget, fit_fsrs
from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.metrics import auc, log_loss, rmse_bins
from models.recall import RecallModel
from models.replay import History, run_fsrs
from models.reviewlog import ReviewLog, read_review_csv

MODELS = ("constant", "sm2", "hlr", "fsrs6_default", "fsrs6_fitted", "ours")
Predictor = Callable[[np.ndarray, np.ndarray], np.ndarray]


def quietest_hour(log: ReviewLog) -> float:
    """Middle of the longest run of hours with the fewest reviews: the learner's overnight gap."""
    counts = np.bincount(((log.time // 3600) % 24).astype(int), minlength=24)
    quiet = np.tile(counts == counts.min(), 2)  # twice round the clock, so a run may wrap past midnight
    best_start, best_length, start = 0, 0, None
    for hour, is_quiet in enumerate(quiet):
        if is_quiet and start is None:
            start = hour
        if start is not None and (not is_quiet or hour == len(quiet) - 1):
            length = hour - start + (1 if is_quiet else 0)
            if length > best_length:
                best_start, best_length = start, min(length, 24)
            start = None
    return float((best_start + best_length // 2) % 24)


def make_predictors(log: ReviewLog, history: History, day_start_hour: float | None) -> dict[str, Predictor]:
    """One function per model: (train rows, test rows) → predictions for the test rows."""
    recalled = (history.grade > 1).astype(float)
    sm2 = sm2_recall(history)
    right, wrong = answer_counts(history)
    default_r = run_fsrs(history, FSRS6_DEFAULT_WEIGHTS).r

    def train_mask(train: np.ndarray) -> np.ndarray:
        mask = np.zeros(len(log), dtype=bool)
        mask[train] = True
        return mask

    def fsrs_fitted(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        last = int(train.max()) + 1
        seen = History.from_log(log.take(slice(0, last)), day_start_hour)
        weights = fit_fsrs(FitTarget.from_history(seen, train_mask(train)[:last]))
        return run_fsrs(history, weights).r[test]

    def ours(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        return RecallModel(day_start_hour=day_start_hour).fit(log, train_mask(train)).predict(log)[test]

    def hlr(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        theta = fit_hlr(right[train], wrong[train], history.days[train], recalled[train])
        return hlr_recall(theta, right[test], wrong[test], history.days[test])

    return {
        "constant": lambda train, test: np.full(len(test), recalled[train].mean()),
        "sm2": lambda train, test: sm2[test],
        "hlr": hlr,
        "fsrs6_default": lambda train, test: default_r[test],
        "fsrs6_fitted": fsrs_fitted,
        "ours": ours,
    }


def run(log: ReviewLog, day_start_hour: float | None, splits: int) -> dict:
    history = History.from_log(log, day_start_hour)
    scored = np.flatnonzero(history.days >= 1)
    if len(scored) <= 2 * splits:
        raise SystemExit(
            f"only {len(scored)} reviews a day or more after the previous one; "
            f"too few for {splits} time splits"
        )
    recalled = (history.grade > 1).astype(float)
    predictors = make_predictors(log, history, day_start_hour)
    tests, preds, seconds = [], {name: [] for name in MODELS}, dict.fromkeys(MODELS, 0.0)
    for train_idx, test_idx in TimeSeriesSplit(splits).split(scored):
        train, test = scored[train_idx], scored[test_idx]
        tests.append(test)
        for name in MODELS:
            started = time.perf_counter()
            preds[name].append(predictors[name](train, test))
            seconds[name] += time.perf_counter() - started
    test = np.concatenate(tests)
    y = recalled[test]
    results = {}
    for name in MODELS:
        p = np.concatenate(preds[name])
        results[name] = {
            "log_loss": log_loss(y, p),
            "auc": auc(y, p),
            "rmse_bins": rmse_bins(
                y, p, history.days[test], history.day_index[test], history.lapses_before[test]
            ),
            "seconds": seconds[name],
        }
    return {"reviews": len(log), "pairs": history.n_pairs, "reviews_scored": len(test), "models": results}


def print_table(report: dict, path: Path, day_start_hour: float | None) -> None:
    days = (
        "whole 24-hour periods (py-fsrs)"
        if day_start_hour is None
        else f"calendar days starting at {day_start_hour:g}h UTC (Anki, srs-benchmark)"
    )
    print(f"log: {path}  ({report['reviews']:,} reviews, {report['pairs']:,} pairs)")
    print(f"days counted as: {days}; scored (pooled test folds): {report['reviews_scored']:,}")
    base = report["models"]["fsrs6_default"]
    print(
        f"{'model':<15}{'log loss':>9}{'AUC':>8}{'RMSE(bins)':>11}{'LL/def':>8}{'AUC-def':>9}"
        f"{'RMSE/def':>9}{'fit s':>7}"
    )
    for name, m in report["models"].items():
        print(
            f"{name:<15}{m['log_loss']:>9.4f}{m['auc']:>8.4f}{m['rmse_bins']:>11.4f}"
            f"{m['log_loss'] / base['log_loss']:>8.3f}{m['auc'] - base['auc']:>+9.4f}"
            f"{m['rmse_bins'] / base['rmse_bins']:>9.3f}{m['seconds']:>7.1f}"
        )
    ours, fitted = report["models"]["ours"], report["models"]["fsrs6_fitted"]
    checks = {
        "ours log loss <= 0.95 x FSRS-6 default": ours["log_loss"] <= 0.95 * base["log_loss"],
        "ours AUC >= FSRS-6 default + 0.02": ours["auc"] >= base["auc"] + 0.02,
        "ours log loss <= FSRS-6 fitted": ours["log_loss"] <= fitted["log_loss"],
        "ours AUC >= FSRS-6 fitted": ours["auc"] >= fitted["auc"],
    }
    for label, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, help="review log CSV (Keelerada/py-fsrs or Anki revlog columns)")
    parser.add_argument(
        "--day-start-hour",
        default="auto",
        help="UTC hour a day starts at, 'auto' (quietest hour) or 'none' (24-hour periods)",
    )
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args()
    log = read_review_csv(args.log)
    if args.day_start_hour == "none":
        day_start_hour = None
    elif args.day_start_hour == "auto":
        day_start_hour = quietest_hour(log)
    else:
        day_start_hour = float(args.day_start_hour)
    report = run(log, day_start_hour, args.splits)
    print_table(report, args.log, day_start_hour)
    if args.json:
        scores = {
            name: {k: None if np.isnan(v) else round(v, 6) for k, v in m.items() if k != "seconds"}
            for name, m in report["models"].items()
        }
        print(
            json.dumps(
                {
                    "reviews_scored": report["reviews_scored"],
                    "day_start_hour_utc": day_start_hour,
                    "models": scores,
                }
            )
        )


if __name__ == "__main__":
    main()
