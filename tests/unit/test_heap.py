"""A started worker keeps its long-lived objects out of the cyclic collector (learning_api.heap): the
collections a request pays for then walk what the request made, not the whole worker."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from learning_api.app import create_app
from learning_api.heap import YOUNG_THRESHOLD, malloc_trim
from learning_api.settings import Settings
from tests.conftest import fresh_database


async def test_worker_start_freezes_what_lives_as_long_as_the_worker(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    before = gc.get_threshold()
    gc.unfreeze()  # as a new process starts: nothing frozen, CPython's default threshold
    gc.set_threshold(700, before[1], before[2])
    settings = Settings(
        database_url=fresh_database("sqlite", "heap", tmp_path_factory),
        object_store_url=f"file://{tmp_path / 'objects'}",
        token_secret="heap-test",
    )
    app = create_app(settings)
    try:
        async with app.lifespan():
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD
            assert gc.get_freeze_count() > 50_000  # the imported modules alone are more
            young = gc.get_stats()[0]["collections"]
            made = [[] for _ in range(5000)]  # seven young collections' worth at CPython's default
            assert gc.get_stats()[0]["collections"] - young <= 1  # one, if the count stood near the bar
            del made
    finally:
        gc.set_threshold(*before)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_trimming_gives_back_the_pages_a_burst_freed() -> None:
    """A burst's objects freed between long-lived ones stay resident until the heap is trimmed."""
    trim = malloc_trim()
    if trim is None or not Path("/proc/self/status").exists():
        pytest.skip("not glibc on Linux: the allocator keeps its own policy, and there is no VmRSS to read")
    trim(0)
    burst = [bytes(4000) + bytes([k % 251]) for k in range(25_000)]  # ~100 MB in malloc'd chunks
    kept = burst[::16]  # what outlives the burst, spread through its pages
    del burst
    resident = _rss_mb()
    trim(0)
    assert resident - _rss_mb() > 50  # ~94 MB of the burst was free and is given back
    assert len(kept) == 1563
