"""Many independent scipy minimisations whose objective calls are answered together, one batch a round.

scipy's optimisers call the objective themselves, one point at a time, so N fits cost N separate
objective calls per round; when each call is a replay of tiny arrays, numpy's per-call overhead is
nearly all the cost. Here each fit runs unchanged in its own thread, and its objective only hands its
point over and waits: once every running fit waits, one call evaluates all their points at once and
wakes them. Each fit therefore sees exactly the values it would alone (same iterates, same result),
fits that finish drop out of the next rounds, and only one thread computes at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

Objective = Callable[[np.ndarray], Any]
Solver = Callable[[Objective], Any]


class _Rounds:
    """The meeting point: fits leave their points here and wait for the batch's answers."""

    def __init__(self, running: int) -> None:
        self.turn = threading.Condition()
        self.running = running
        self.points: dict[int, np.ndarray] = {}
        self.answers: dict[int, Any] = {}
        self.failed: BaseException | None = None

    def ask(self, fit: int, x: np.ndarray) -> Any:
        with self.turn:
            self.points[fit] = np.array(x)  # a copy: the optimiser may reuse its buffer
            self.turn.notify_all()
            self.turn.wait_for(lambda: fit in self.answers or self.failed is not None)
            if self.failed is not None:
                raise RuntimeError("the batched objective failed") from self.failed
            return self.answers.pop(fit)

    def done(self) -> None:
        with self.turn:
            self.running -= 1
            self.turn.notify_all()


def solve_in_lockstep(
    solvers: Sequence[Solver], evaluate: Callable[[dict[int, np.ndarray]], dict[int, Any]]
) -> list[Any]:
    """`[solver(objective) for solver in solvers]`, with every round's points evaluated by one call.

    `evaluate` maps {fit: point} to {fit: objective value}; it runs in the calling thread.
    """
    rounds = _Rounds(len(solvers))
    results: list[Any] = [None] * len(solvers)
    errors: list[BaseException] = []

    def run(fit: int) -> None:
        try:
            results[fit] = solvers[fit](lambda x: rounds.ask(fit, x))
        except BaseException as error:  # handed to the caller below
            errors.append(error)
        finally:
            rounds.done()

    threads = [threading.Thread(target=run, args=(fit,), daemon=True) for fit in range(len(solvers))]
    for thread in threads:
        thread.start()
    while True:
        with rounds.turn:
            rounds.turn.wait_for(lambda: len(rounds.points) == rounds.running)
            if rounds.running == 0:
                break
            points, rounds.points = rounds.points, {}
        try:
            answers = evaluate(points)
        except BaseException as error:
            with rounds.turn:
                rounds.failed = error
                rounds.turn.notify_all()
            for thread in threads:
                thread.join()
            raise
        with rounds.turn:
            rounds.answers.update(answers)
            rounds.turn.notify_all()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
