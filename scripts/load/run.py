"""Load harness: the API under a real server process against its ceilings, measured in one run.

    python -m scripts.load.run --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/keelerada_load \
        --store var/load/objects --workers 2 --concurrency 1,16 [--json]

Seed first (`python -m scripts.load.seed ...`, same URL and store). Prints, per step and concurrency,
req/s and p50/p95/p99, the ceilings of the same run (pgbench: one INSERT + one UPDATE per transaction;
a Litestar hello-world under the same server; the API's /health: both with wrk when it is installed,
see wrk.py), the ratios, the growth of
session and progress cost with history length, worker memory, and the targets of issue 14 with
holds/not. `--json` prints one JSON object last. Every loop is bounded by --seconds and --max-requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from learning_api.db.migrate import upgrade
from scripts.load import client, cpu, servers, wrk
from scripts.load.report import print_table, targets

STEPS = ("session", "answer", "batch100", "batch500", "progress", "day")


def _api(args: argparse.Namespace, workers: int):  # type: ignore[no-untyped-def]
    env = {
        "KEELERADA_DATABASE_URL": args.database_url,
        "KEELERADA_OBJECT_STORE_URL": f"file://{Path(args.store).resolve()}",
        "KEELERADA_TOKEN_SECRET": "load-harness",
    }
    return servers.served(["scripts.cli", "serve", "--workers", str(workers), "--no-access-log"], env)


def _measure(
    base: str, scenario: str, learners: list[int], args: argparse.Namespace, api: int | None = None
) -> dict[str, dict]:
    """Each step's summary; with ``api`` (the served API's pid), a step measured alone also carries
    the CPU ms per request of the API, PostgreSQL and the client (`scripts.load.cpu`)."""
    sample = None if api is None else (lambda: cpu.sample(api))
    stats, seconds, spent = asyncio.run(
        client.run(base, scenario, learners, args.seconds, args.max_requests, sample=sample)
    )
    out = {}
    for step, s in stats.items():
        if step != "warm-up":  # fetching each user's first items is not measured, only its failures told
            out[step] = s.summary(seconds)
            if spent is not None and len(stats.keys() - {"warm-up"}) == 1:
                out[step]["cpu_ms"] = cpu.per_request(*spent, len(s.latencies))
        if s.error_sample:
            print(f"  {step}: {s.errors} errors, e.g. {s.error_sample}", file=sys.stderr)
    return out


def _ceiling(base: str, connections: int, args: argparse.Namespace) -> dict:
    """GET /health (the API's or hello-world's) over ``connections`` connections: with wrk when it is
    installed (see scripts/load/wrk.py), else with the Python client. The API's rows follow a discarded
    run of the same length: in its first seconds a freshly started worker is still warming up (measured:
    workers=2 gave 1,617 req/s in the first 5 s after /health first answered, then 4,389 and 4,367), so
    a cold row compared a warming pair of workers with a warm single one."""
    if wrk.available() and not args.python_ceilings:
        return wrk.measure(base + "/health", connections, args.seconds)
    return _measure(base, "health", list(range(connections)), args)["health"]


def _users(manifest: list[dict], probes: int, count: int, near: int) -> list[int]:
    """``count`` learners with about ``near`` states (from half to twice), none of the probes."""
    pool = [m["number"] for m in manifest[probes:] if near // 2 <= m["states"] <= near * 2]
    return pool[:count]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    upgrade(args.database_url)  # the seeded schema may be older than the code under test
    seeded = json.loads(Path(args.manifest).read_text())
    manifest, probes = seeded["learners"], seeded["probes"]
    probe_of = {m["states"]: m["number"] for m in manifest[: len(probes)]}
    levels = [int(c) for c in args.concurrency.split(",")]
    wanted = set(args.steps.split(","))
    result: dict = {
        "total_states": sum(m["states"] for m in manifest),
        "learners": len(manifest),
        "workers": args.workers,
        "ceilings": {},
        "steps": {},
        "growth": {},
        "memory_mb": {},
    }
    for c in levels:
        result["ceilings"][f"pgbench@{c}"] = {
            "tps": servers.pgbench_tps(args.database_url, c, args.pgbench_seconds)
        }
    with servers.served(["scripts.load.hello", "--workers", str(args.workers)]) as (base, _):
        for c in levels:
            result["ceilings"][f"hello@{c}"] = _ceiling(base, c, args)
    if args.workers != 1:  # stock uvicorn with the same workers: the keep-alive stall our server avoids
        with servers.served(["scripts.load.hello", "--workers", str(args.workers), "--stock"]) as (base, _):
            result["ceilings"]["hello@1,stock uvicorn"] = _ceiling(base, 1, args)
        with _api(args, 1) as (base, _):
            _ceiling(base, max(levels), args)  # warm-up, not kept (see _ceiling's note)
            result["ceilings"][f"health@{max(levels)},workers=1"] = _ceiling(base, max(levels), args)
    with _api(args, args.workers) as (base, pid):
        result["memory_mb"]["after_start"] = servers.worker_rss_mb(pid)
        _ceiling(base, max(levels), args)  # warm-up, not kept
        for c in levels:
            result["ceilings"][f"health@{c}"] = _ceiling(base, c, args)
        for c in levels:
            users = [probe_of[100]] if c == 1 and 100 in probe_of else _users(manifest, len(probes), c, 100)
            for step in STEPS:
                if step in wanted:
                    for name, summary in _measure(base, step, users, args, pid).items():
                        result["steps"][f"{name}@{c}"] = summary
        if "one-learner" in wanted:
            one = _users(manifest, len(probes), 1, 100) * max(levels)
            result["steps"][f"batch500 one learner@{max(levels)}"] = _measure(
                base, "batch500", one, args, pid
            )["batch500"]
        if "growth" in wanted:
            for states, number in probe_of.items():
                for step in ("session", "progress"):
                    result["growth"][f"{step}@{states}"] = _measure(base, step, [number], args, pid)[step]
        result["memory_mb"]["warm"] = servers.worker_rss_mb(pid)
    result["targets"] = targets(result, levels)
    print_table(result)
    if args.json:
        print(json.dumps(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.load.run", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--store", default="var/load/objects")
    parser.add_argument("--manifest", default="var/load/manifest.json", help="written by the seed command")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", default="1,16")
    parser.add_argument("--seconds", type=float, default=5.0, help="per step and concurrency")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per step and concurrency")
    parser.add_argument("--pgbench-seconds", type=int, default=5)
    parser.add_argument(
        "--steps", default=",".join([*STEPS, "one-learner", "growth"]), help="which steps to run (comma list)"
    )
    parser.add_argument(
        "--python-ceilings", action="store_true", help="measure the ceilings with the Python client, not wrk"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    return parser


if __name__ == "__main__":
    sys.exit(main())
