"""The harness's CPU split: a served process's work shows in its group, per request, and a process that
ends between the samples never makes a group negative."""

from __future__ import annotations

import sys
import time

import pytest

from scripts.load import cpu, servers

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux only)")


def test_a_served_process_cpu_counts_in_the_api_group() -> None:
    with servers.served(["scripts.load.hello"]) as (_, pid):
        before = cpu.sample(pid)
        started = time.process_time()
        while time.process_time() - started < 0.3:  # the client's own work
            pass
        after = cpu.sample(pid)
    spent = cpu.per_request(before, after, 3)
    assert spent["client"] >= 90  # 300 ms over 3 requests
    assert spent["api"] >= 0 and spent["postgres"] >= 0
    assert spent["total"] == pytest.approx(spent["api"] + spent["postgres"] + spent["client"], abs=0.02)


def test_a_process_gone_between_samples_counts_nothing_and_a_new_one_whole() -> None:
    before = {"api": {1: 5.0}, "postgres": {10: 2.0, 11: 7.0}, "client": {3: 1.0}}
    after = {"api": {1: 5.5}, "postgres": {10: 2.25, 12: 0.25}, "client": {3: 1.5}}
    spent = cpu.per_request(before, after, 2)
    assert spent == {"api": 250.0, "postgres": 250.0, "client": 250.0, "total": 750.0}
    assert cpu.per_request(before, after, 0) == {}
