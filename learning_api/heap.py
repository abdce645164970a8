"""The worker's garbage collector, set for a server whose heap is mostly long-lived objects.

A warm worker tracks about 300,000 objects that live as long as it does: modules, the published bank,
the lesson documents. CPython's cyclic collector walks them again in every full collection, and its
young generation runs every 700 net allocations, so a request that builds many objects pays for
collections of objects it never made. Measured in-process on PostgreSQL (a batch of 500 answers, ~100 ms
CPU): 22 ms of it in collections by default, 5 ms with the long-lived objects frozen, under 1 ms with the
young threshold raised as well. Reference counting still frees everything at once; only reference
cycles wait for a collection, and the threshold bounds how many of them can wait.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000
"""Net allocations between young collections (CPython's default: 700). A few MB of cycles at most."""


def settle_worker() -> None:
    """At worker start, once the long-lived objects exist: collect what start-up left, freeze the rest
    out of the collector's sight and space the young collections out."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def freeze_new_long_lived() -> None:
    """After a new long-lived structure is built (a published bank): freeze it too, without the full
    collection, which would cost the request that built it tens of milliseconds. The bank it replaces is
    still freed by reference counting (it holds no cycles), and publications are rare."""
    gc.freeze()
