"""`keelerada serve --workers N`: new connections are spread over the workers, not taken by one of them, and
the port is not shared with another server."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from litestar import Litestar, get

from scripts.serving import claim_address

ROOT = Path(__file__).resolve().parents[2]


@get("/pid", sync_to_thread=False)
def pid() -> int:
    return os.getpid()


def pid_app() -> Litestar:
    """Each worker answers with its process id."""
    return Litestar(route_handlers=[pid])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ask(conn: http.client.HTTPConnection) -> int:
    conn.request("GET", "/pid")
    return int(conn.getresponse().read())


def test_a_burst_of_keep_alive_connections_reaches_both_workers() -> None:
    port = _free_port()
    code = f"from scripts.serving import run; run('tests.unit.test_serving:pid_app', host='127.0.0.1', port={port}, workers=2, access_log=False)"  # noqa: E501
    server = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:  # until both workers have started
            try:
                workers.add(_ask(http.client.HTTPConnection("127.0.0.1", port, timeout=5)))
            except OSError:
                time.sleep(0.2)
        assert len(workers) == 2, "the two workers did not both start"
        # 16 clients connect at once (the connections wait in the kernel's queue), then each asks once;
        # with one accept queue shared by both workers, the first to wake took them all
        burst = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(16)]
        for conn in burst:
            conn.connect()
        answered = [_ask(conn) for conn in burst]
        assert set(answered) == workers, f"all 16 connections on {set(answered)}"
        assert [_ask(conn) for conn in burst] == answered  # keep-alive: each stays with its worker
        with pytest.raises(OSError):  # a second server on the port is refused, not let in beside it
            claim_address(socket.AF_INET, ("127.0.0.1", port))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
