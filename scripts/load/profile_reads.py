"""How the session's and the progress screen's worker CPU grows with a learner's history, in-process.

    python -m scripts.load.profile_reads \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/keelerada_load --store var/load/objects \
        [--rounds 7] [--requests 10] [--profile 5000:session]

Seed first (`python -m scripts.load.seed`, same URL and store): its probe learners (numbers 0-3) hold 10,
100, 1,000 and 5,000 review states. Each round sends every probe learner ``--requests`` of
``GET /study/session`` and of ``GET /progress`` through the app's ASGI callable (no server, no client), so
the sizes are interleaved and a busy moment on a shared machine falls on all of them. Each request's
`time.process_time` is kept, and the 20th percentile and the median per size are printed with their ratio
to the smallest history (the issue's growth table, without the client's and the database's time).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

from learning_api.app import create_app
from learning_api.settings import Settings
from scripts.load.history import token
from scripts.load.profile_answers import _call

PROBES = {10: 0, 100: 1, 1000: 2, 5000: 3}  # states -> the seeder's probe learner number
PATHS = {"session": "/study/session?size=20", "progress": "/progress"}


async def main(args: argparse.Namespace) -> None:
    settings = Settings(
        database_url=args.database_url,
        object_store_url=f"file://{Path(args.store).resolve()}",
        token_secret="load-harness",
    )
    app = create_app(settings)
    headers = {size: [(b"authorization", f"Bearer {token(n)}".encode())] for size, n in PROBES.items()}

    async def get(size: int, step: str) -> None:
        status, body = await _call(app, "GET", PATHS[step], headers[size])
        if status != 200:
            raise SystemExit(f"{step} for {size} states: {status} {body[:300]!r}")

    async with app.lifespan():
        for _ in range(3):  # warm-up: the bank built, statements prepared, as in a warm worker
            for size in PROBES:
                for step in PATHS:
                    await get(size, step)
        if args.profile:
            size, step = args.profile.split(":")
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.requests * args.rounds):
                await get(int(size), step)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
            return
        spent: dict[tuple[str, int], list[float]] = {(step, size): [] for step in PATHS for size in PROBES}
        for _ in range(args.rounds):
            for size in PROBES:
                for step in PATHS:
                    for _ in range(args.requests):
                        started = time.process_time()
                        await get(size, step)
                        spent[step, size].append(1000 * (time.process_time() - started))
    summary: dict[str, Any] = {}
    for step in PATHS:
        low = _quantile(spent[step, min(PROBES)], 0.2)
        cells = []
        for size in PROBES:
            p20, median = _quantile(spent[step, size], 0.2), statistics.median(spent[step, size])
            cells.append(f"{size:>5}: p20 {p20:5.2f} med {median:5.2f} ({p20 / low:.2f}x)")
            summary[f"{step}_{size}_p20_ms"] = round(p20, 2)
        print(f"{step:9}", " | ".join(cells))
    print(json.dumps(summary))


def _quantile(values: list[float], q: float) -> float:
    return sorted(values)[int(q * (len(values) - 1))]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=10, help="per size, step and round")
    parser.add_argument("--profile", help="STATES:session|progress under cProfile instead")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    asyncio.run(main(parser.parse_args()))
