"""The README's curl journey is true when pasted: its block runs, unchanged but for the port, against a
real `keelerada serve` (a child process on a free port, SQLite and a local folder store, the starter
course loaded by the CLI), and every request must answer the status the journey expects."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "content" / "eesti-a1-a2"
README_ORIGIN = "http://127.0.0.1:8000"
# Each request is shown on stderr as "STEP <status> <method> <url>"; any status >= 400 stops the script.
CURL_WRAPPER = (
    "set -euo pipefail\n"
    "curl() { command curl --fail-with-body "
    "--write-out '%{stderr}STEP %{http_code} %{method} %{url_effective}\\n' \"$@\"; }\n"
)
EXPECTED = [  # (status, method, path pattern) in the README's order
    (201, "POST", r"/auth/register"),
    (200, "POST", r"/auth/login"),
    (200, "PATCH", r"/me/profile"),
    (201, "POST", r"/placement"),
    (200, "GET", r"/placement/[0-9a-f-]{36}/next"),
    (200, "POST", r"/placement/[0-9a-f-]{36}/answer"),
    (201, "POST", r"/placement/skip"),
    (200, "GET", r"/study/session\?size=12"),
    (200, "POST", r"/study/answers"),
    (200, "POST", r"/study/answers"),
    (200, "GET", r"/progress"),
    (200, "GET", r"/me/export"),
    (204, "DELETE", r"/me"),
]


def readme_block() -> str:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## A learner's journey (curl)", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "the README's journey section has no ```sh block"
    return match.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scripts.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed (apt-get install curl; CI installs it)")
    if not COURSE.is_dir():
        pytest.skip(f"the starter course is missing: {COURSE}")
    home = tmp_path_factory.mktemp("readme")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KEELERADA_DATABASE_URL": f"sqlite+aiosqlite:///{home / 'keelerada.db'}",
        "KEELERADA_OBJECT_STORE_URL": f"file://{home / 'objects'}",
    }
    _cli(env, "migrate")
    _cli(env, "content", "upload", "--publish", "--quiet", str(COURSE))
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    with (home / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "scripts.cli", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{origin}/ready", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                assert process.poll() is None, (home / "serve.log").read_text()[-2000:]
                assert time.monotonic() < deadline, "the server did not become ready in 120 s"
                time.sleep(0.5)
            yield origin
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_the_readme_journey_runs_as_written(server: str, tmp_path: Path) -> None:
    block = readme_block()
    assert README_ORIGIN in block
    script = CURL_WRAPPER + block.replace(README_ORIGIN, server)
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )  # fmt: skip
    steps = re.findall(r"^STEP (\d{3}) (\S+) (\S+)$", done.stderr, re.M)
    assert done.returncode == 0, (done.stderr[-3000:], done.stdout[-3000:])
    assert len(steps) == len(EXPECTED), steps
    for (status, method, url), (want_status, want_method, pattern) in zip(steps, EXPECTED, strict=True):
        assert (int(status), method) == (want_status, want_method), (url, status)
        assert re.fullmatch(re.escape(server) + pattern, url), (url, pattern)
    # What the README's comments promise.
    session = re.search(r'"reviews":\d+,"new":\d+', done.stdout)
    assert session and session.group(0) in block, (session, "the README shows other session counts")
    assert '"accepted":2,"duplicates":0' in done.stdout and '"accepted":0,"duplicates":2' in done.stdout
    assert '"verdict":"typo"' in done.stdout and "pallun" in done.stdout
    export = (tmp_path / "my-data.json").read_text()
    assert '"email":"olena@example.ee"' in export
