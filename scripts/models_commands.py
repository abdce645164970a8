"""Batch jobs: `keelerada models fit|calibrate|simulate`.

They read the answer log in chunks and write a new version of the model's parameters in one transaction
at the end, so a crash or Ctrl-C leaves the served version untouched and a re-run starts clean; a re-run
on an unchanged log adds nothing. Schedule them (cron or the `models` service of docker-compose.yml);
workers pick a promoted version up within KEELERADA_PARAMS_REFRESH_SECONDS.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from scripts.content_commands import _ops, _run


def _print(payload: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    print(json.dumps(payload) if as_json else "\n".join(lines))


def fit(args: argparse.Namespace) -> int:
    from learning_api.modelling.fitting import NotEnoughAnswers, fit_memory

    async def run() -> int:
        async with _ops() as (sessions, _), sessions() as session, session.begin():
            try:
                out = await fit_memory(session, datetime.now(UTC), args.holdout, progress=not args.json)
            except NotEnoughAnswers as exc:
                print(f"nothing fitted: {exc}", file=sys.stderr)
                return 1
        if out.version is None:
            _print(
                {"version": None, "up_to_date": True},
                args.json,
                ["the log has not changed since the last fit"],
            )
            return 0
        c, s = out.scores["candidate"], out.scores["served"]
        lines = [
            f"memory v{out.version} ({out.scores['family']}): {'promoted' if out.promoted else 'rejected'}",
            f"  held-out reviews {out.scores['held_out_reviews']}, learners with own weights {out.learners}",
            f"  {'':10} {'log loss':>9} {'AUC':>7} {'RMSE(bins)':>11}",
            f"  {'candidate':10} {c['log_loss']:9.4f} {c['auc']:7.4f} {c['rmse_bins']:11.4f}",
            f"  {'served':10} {s['log_loss']:9.4f} {s['auc']:7.4f} {s['rmse_bins']:11.4f}"
            f"  (v{out.scores['served_version'] or '- = FSRS-6 defaults'})",
            f"  scheduling target {out.scores['retention']:.3f} (0.9 moved by the held-out calibration)",
        ]
        _print({"version": out.version, "promoted": out.promoted, "scores": out.scores}, args.json, lines)
        return 0

    return _run(run)


def calibrate(args: argparse.Namespace) -> int:
    from learning_api.modelling.calibrating import calibrate_items

    async def run() -> int:
        async with _ops() as (sessions, _), sessions() as session, session.begin():
            out = await calibrate_items(session, datetime.now(UTC), args.min_answers, progress=not args.json)
        if out.version is None:
            _print(
                {"version": None, "up_to_date": True},
                args.json,
                ["the log has not changed since the last run"],
            )
            return 0
        drift = out.report["drift"]
        lines = [
            f"items v{out.version}: {out.calibrated} items calibrated, {out.kept_prior} keep their prior "
            f"(< {out.report['min_answers']} first attempts)",
            f"  drift: mean |change of b| {drift.get('mean_abs_change_b', 0)}, "
            f"{drift.get('moved', 0)} items moved more than {drift.get('moved_more_than', '-')}",
        ]
        lines += [
            f"  {lvl}: mean b {v['mean_b']} (prior {v['prior_b']})"
            for lvl, v in drift.get("by_level", {}).items()
        ]
        _print(
            {
                "version": out.version,
                "calibrated": out.calibrated,
                "kept_prior": out.kept_prior,
                "report": out.report,
            },
            args.json,
            lines,
        )
        return 0

    return _run(run)


def simulate(args: argparse.Namespace) -> int:
    from learning_api.modelling.simulation import simulate_log

    async def run() -> int:
        async with _ops() as (sessions, store):
            try:
                out = await simulate_log(
                    sessions,
                    store,
                    datetime.fromisoformat(args.start).replace(tzinfo=UTC),
                    args.learners,
                    args.days,
                    args.new_per_day,
                    args.seed,
                )
            except ValueError as exc:
                print(f"nothing simulated: {exc}", file=sys.stderr)
                return 1
        print(f"{out.answers} answers of {out.learners} simulated learners written to the log")
        return 0

    return _run(run)


def register(subparsers: argparse._SubParsersAction) -> None:
    models = subparsers.add_parser("models", help="batch jobs: fit memory weights, calibrate items")
    sub = models.add_subparsers(dest="models_command", required=True)

    p = sub.add_parser(
        "fit", help="global + per-learner memory weights; promoted if not worse on new answers"
    )
    p.add_argument("--holdout", type=float, default=0.2, help="newest share of reviews held out for scoring")
    p.add_argument("--json", action="store_true", help="one JSON object, no progress bar")
    p.set_defaults(handler=fit)

    p = sub.add_parser(
        "calibrate", help="2PL item parameters from first attempts, cut points, counters, drift"
    )
    p.add_argument(
        "--min-answers", type=int, default=20, help="first attempts an item needs to leave its prior"
    )
    p.add_argument("--json", action="store_true", help="one JSON object, no progress bar")
    p.set_defaults(handler=calibrate)

    p = sub.add_parser("simulate", help="write an answer log of simulated learners (to try the jobs on)")
    p.add_argument("--learners", type=int, default=200)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--new-per-day", type=int, default=12)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--start", default="2026-01-05", help="first study day (UTC date)")
    p.set_defaults(handler=simulate)
