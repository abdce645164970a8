"""Processes the harness starts and measures: the API (`keelerada serve`), the hello-world ceiling and
pgbench. Loopback only; every process is ours, started in its own session and stopped by its id."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PGBENCH_SCRIPT = """\\set id random(1, 10000)
BEGIN;
INSERT INTO load_bench_log (counter) VALUES (:id);
UPDATE load_bench_counter SET n = n + 1 WHERE id = :id;
END;
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(
    module_args: list[str], env: dict[str, str] | None = None, ready_path: str = "/health"
) -> Iterator[tuple[str, int]]:
    """Start ``python -m <module_args> --port P`` and yield (base URL, pid) once it answers."""
    port = free_port()
    # the server's log goes to a file (a pipe nobody reads would stall a server that logs a lot), kept
    # for reading after the run: a 500 in the table is explained there
    log_path = ROOT / "var" / "load" / f"{module_args[0].rsplit('.', 1)[-1]}-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", *module_args, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + ready_path, process, log_path)
        yield base, process.pid
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server not up after {timeout:.0f} s: {url}")


def worker_rss_mb(pid: int) -> list[float]:
    """Resident memory of the serving processes: the workers under a supervisor, else the process itself."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    rss = [_rss(p) for p in children or [pid]]
    big = [r for r in rss if r > 60]  # a supervisor's helpers (resource tracker) are not workers
    return big or rss


def _rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pgbench_tps(database_url: str, clients: int, seconds: int) -> float:
    """TPS of one INSERT + one UPDATE per transaction on the same server: the ceiling for answer intake."""
    parts = urlsplit(database_url)
    target = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    db = parts.path.strip("/")
    setup = (
        "CREATE TABLE IF NOT EXISTS load_bench_counter (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0);"
        "CREATE TABLE IF NOT EXISTS load_bench_log"
        " (id bigserial PRIMARY KEY, counter int, at timestamptz DEFAULT now());"
        "INSERT INTO load_bench_counter (id) SELECT g FROM generate_series(1, 10000) g"
        " ON CONFLICT DO NOTHING;"
    )
    subprocess.run(["psql", *target, "-q", "-c", setup, db], check=True, capture_output=True)
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write(PGBENCH_SCRIPT)
        script.flush()
        out = subprocess.run(
            [
                "pgbench",
                *target,
                "-n",
                "-f",
                script.name,
                "-c",
                str(clients),
                "-j",
                str(min(clients, 2)),
                "-T",
                str(seconds),
                db,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]
