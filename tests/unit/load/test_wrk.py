"""The ceiling rows measured with wrk read like the Python client's rows (the table and targets use both)."""

from __future__ import annotations

import pytest

from scripts.load import client, servers, wrk


@pytest.mark.skipif(not wrk.available(), reason="wrk is not installed (apt-get install wrk)")
def test_wrk_rows_have_the_python_clients_fields_and_count_requests() -> None:
    with servers.served(["scripts.load.hello"]) as (base, _):
        row = wrk.measure(base + "/health", 2, 1)
    assert set(row) == set(client.Stats(latencies=[0.001]).summary(1.0))
    assert row["client"] == "wrk" and row["errors"] == 0
    assert row["requests"] > 10 and row["rps"] > 10
    assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
