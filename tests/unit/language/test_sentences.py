"""The word pairing behind sentence grading: always a pairing of least total cost."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest

from learning_api.language.sentences import cheapest_assignment


def _total(cost: list[list[float]], order: list[int]) -> float:
    return sum(cost[i][j] for i, j in enumerate(order))


@pytest.mark.parametrize("seed", range(40))
def test_the_pairing_costs_no_more_than_the_best_permutation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 7))
    # word distances (0 same, 1 another form, 2 a typo, 5 unrelated) plus the tie-breaking position term
    places = np.abs(np.subtract.outer(range(n), range(n))) / 1000
    cost = (rng.choice([0, 1, 2, 5], size=(n, n)) + places).tolist()
    order = cheapest_assignment(cost)
    assert sorted(order) == list(range(n))
    best = min(_total(cost, list(p)) for p in permutations(range(n)))
    assert _total(cost, order) == pytest.approx(best)


def test_a_moved_phrase_is_found_and_equal_words_keep_their_places() -> None:
    # "Tallinnas elan ma" against "Ma elan Tallinnas": each written word finds its own model word
    cost = [[5, 5, 0], [5, 0, 5], [0, 5, 5]]
    assert cheapest_assignment(cost) == [2, 1, 0]
    same = [[abs(i - j) / 1000 for j in range(4)] for i in range(4)]  # four equal words
    assert cheapest_assignment(same) == [0, 1, 2, 3]
