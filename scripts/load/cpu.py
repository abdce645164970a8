"""Where a step's CPU went on this shared machine: the API's processes, PostgreSQL's, and the client.

Client, database and API share two cores, so a throughput target is a question of CPU per request:
with C ms of CPU per request across all three, the machine serves at most 2000 / C requests a second
whatever the concurrency. The harness samples /proc (Linux) before and after each step; PostgreSQL's
processes are found by name, each counted on its own (the backends of the API's pool live through a
step; one that started and ended within it is missed, which the pool makes rare).
"""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[str, int, float]]:
    """pid: (command name, session id, CPU seconds so far)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        # after the name: state ppid pgrp session ... utime (12th) stime (13th)
        out[int(entry.name)] = (name, int(fields[3]), (int(fields[11]) + int(fields[12])) / TICK)
    return out


def sample(api_session: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far per process of the API (every process of its session: `servers.served` starts
    it in its own) and of PostgreSQL, and of this client process."""
    api: dict[int, float] = {}
    pg: dict[int, float] = {}
    for pid, (name, session, seconds) in _processes().items():
        if session == api_session:
            api[pid] = seconds
        elif name.startswith("postgres"):
            pg[pid] = seconds
    times = os.times()
    return {"api": api, "postgres": pg, "client": {os.getpid(): times.user + times.system}}


def per_request(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], requests: int
) -> dict[str, float]:
    """CPU ms per request of each group between two samples, and their total: per process, so a
    backend the pool opened during the step counts whole and one it closed counts nothing after the
    first sample (never less than nothing)."""
    if not requests:
        return {}
    out = {}
    for group, now in after.items():
        then = before[group]
        spent = sum(seconds - then.get(pid, 0.0) for pid, seconds in now.items())
        out[group] = round(1000 * spent / requests, 2)
    out["total"] = round(sum(out.values()), 2)
    return out
