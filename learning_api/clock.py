"""The app's clock, injected as the ``now`` dependency: study logic depends on days passing, and tests
(and replays of offline study) need to move time without patching the standard library."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from litestar.datastructures import State
from litestar.di import NamedDependency

Clock = Callable[[], datetime]
Now = NamedDependency[datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def provide_now(state: State) -> datetime:
    return state.clock()
