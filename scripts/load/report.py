"""The harness's table and the targets of issue 14, each as a ratio to its ceiling or budget."""

from __future__ import annotations

import os
import sys

ROW = "{:<34} {:>8} {:>9} {:>10} {:>8} {:>8} {:>8} {:>12} {:>8}"
HEADER = ("step@concurrency", "req/s", "answers/s", "p50 ms", "p95 ms", "p99 ms", "errors", "ratio", "client")


def _get(table: dict, key: str, field: str) -> float | None:
    row = table.get(key)
    return None if row is None else row.get(field)


def targets(result: dict, levels: list[int]) -> list[dict]:
    """(what, measured, target, holds) for each row of the issue's table that this run measured."""
    top, steps, ceilings = max(levels), result["steps"], result["ceilings"]
    pg = _get(ceilings, f"pgbench@{top}", "tps")
    out: list[dict] = []

    def check(
        what: str, value: float | None, limit: float, at_most: bool = True, ratio_of: float | None = None
    ) -> None:
        if value is None:
            return
        holds = value <= limit if at_most else value >= limit
        out.append(
            {"what": what, "measured": value, "target": limit, "holds": bool(holds), "ratio_of": ratio_of}
        )

    check("session p99 ms, one user, 100 states", _get(steps, "session@1", "p99_ms"), 30)
    check("session p99 ms, 5,000 states", _get(result["growth"], "session@5000", "p99_ms"), 30)
    check("progress p99 ms, one user", _get(steps, "progress@1", "p99_ms"), 50)
    answer_rps = _get(steps, f"answer@{top}", "rps")
    if answer_rps is not None and pg:
        check(
            f"answer req/s / pgbench TPS, {top} users",
            round(answer_rps / pg, 3),
            0.25,
            at_most=False,
            ratio_of=pg,
        )
    check(f"answer p99 ms, {top} users", _get(steps, f"answer@{top}", "p99_ms"), 50)
    check("batch500 answers/s", _get(steps, f"batch500@{top}", "answers_per_s"), 20_000, at_most=False)
    warm = result["memory_mb"].get("warm")
    if warm:
        check("worker memory MB, warm", round(max(warm), 1), 300)
    one = steps.get(f"batch500 one learner@{top}")
    if one is not None:
        check(f"errors, one learner, {top} clients × 500", one["errors"] + one["rejected"], 0)
    single = _get(ceilings, f"health@{top},workers=1", "rps")
    health = _get(ceilings, f"health@{top}", "rps")
    if single and health:
        check(
            f"/health workers={result['workers']} / workers=1", round(health / single, 2), 1.3, at_most=False
        )
    if "hello@1,stock uvicorn" in ceilings:  # measured only with more than one worker
        check(
            f"keep-alive p50 ms, hello@1, workers={result['workers']}", _get(ceilings, "hello@1", "p50_ms"), 5
        )
    return out


def print_table(result: dict, out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    print(
        f"learners {result['learners']}, review states {result['total_states']}, workers "
        f"{result['workers']} (client, PostgreSQL and API share this machine)",
        file=out,
    )
    print(
        ROW.format(*HEADER),
        file=out,
    )
    for section in ("ceilings", "steps", "growth"):
        print(f"-- {section}", file=out)
        for name, row in result[section].items():
            if "tps" in row:
                print(ROW.format(name, round(row["tps"]), "", "", "", "", "", "", "pgbench"), file=out)
                continue
            ratio = _ratio(result, name, row)
            print(ROW.format(name, row["rps"], row["answers_per_s"] or "", row["p50_ms"], row["p95_ms"],
                             row["p99_ms"], row["errors"] + row["rejected"], ratio, row.get("client", "")),
                  file=out)  # fmt: skip
    print(f"-- worker memory MB: {result['memory_mb']}", file=out)
    print_cpu(result, out)
    print("-- targets (issue 14)", file=out)
    for t in result.get("targets", []):
        print(
            f"{'holds' if t['holds'] else 'NOT  '}  {t['what']}: {t['measured']} (target {t['target']})",
            file=out,
        )


def print_cpu(result: dict, out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    """CPU ms per request by process group, and the throughput that CPU allows on this machine's cores
    (`scripts.load.cpu`): a step far below its bound waits on something else (locks, round trips)."""
    cores = os.cpu_count() or 1
    print(f"-- CPU ms per request (api / postgres / client = total) and the {cores}-core bound", file=out)
    for name, row in [*result["steps"].items(), *result["growth"].items()]:
        spent = row.get("cpu_ms")
        if not spent or not spent["total"]:
            continue
        bound = 1000 * cores / spent["total"]
        per = row["answers_per_s"] / row["rps"] if row["rps"] and row["answers_per_s"] else 0
        carried = f", {bound * per:,.0f} answers/s" if per else ""
        print(
            f"{name:<34} {spent['api']:7.2f} / {spent['postgres']:6.2f} / {spent['client']:6.2f}"
            f" = {spent['total']:7.2f}   bound {bound:,.0f} req/s{carried}; measured {row['rps']}",
            file=out,
        )


def _ratio(result: dict, name: str, row: dict) -> str:
    """Each HTTP row as a share of its ceiling at the same concurrency: /health and hello-world of the
    hello-world, the API's steps of /health; answer intake also of pgbench TPS."""
    step, _, level = name.partition("@")
    level = level.split(",")[0]
    hello = _get(result["ceilings"], f"hello@{level}", "rps")
    if step == "hello" or not hello:
        return ""
    if step == "health":
        return f"{row['rps'] / hello:.2f}×hello"
    pg = _get(result["ceilings"], f"pgbench@{level}", "tps")
    if step in ("answer", "day.answer") and pg:
        return f"{row['rps'] / pg:.3f}×pg"
    health = _get(result["ceilings"], f"health@{level}", "rps")
    return f"{row['rps'] / health:.3f}×health" if health else ""
