"""The ceiling rows (hello-world and /health) measured with wrk, a C load generator, when it is installed.

On a 2-core machine an asyncio client spends about a core of its own on the cheapest requests, so with
the Python client two server workers cannot show what they add; wrk costs a fraction of that per request.
The API's own scenarios keep the Python client (they need tokens, bodies and the answers' results). A row
says which client measured it; without wrk (`apt-get install wrk`) the ceilings use the Python client.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

# wrk prints its summary for humans; this prints the numbers the harness keeps on one line (latency in µs)
REPORT = """done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def measure(url: str, connections: int, seconds: float) -> dict[str, float | int | str]:
    """req/s and p50/p95/p99 of GET ``url`` over ``connections`` keep-alive connections from one wrk
    thread (one core's share is plenty for a Python server), in the shape of the Python client's rows."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(REPORT)
        script.flush()
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", script.name, url],
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        ).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    requests, duration_us, p50, p95, p99, failed, bad_status = (int(v) for v in line.split()[1:])
    return {
        "requests": requests,
        "rps": round(requests / (duration_us / 1e6), 1),
        "answers_per_s": 0,
        "p50_ms": round(p50 / 1000, 1),
        "p95_ms": round(p95 / 1000, 1),
        "p99_ms": round(p99 / 1000, 1),
        "errors": failed + bad_status,
        "rejected": 0,
        "client": "wrk",
    }
