"""Disclosure control for the organisation's figures: one rule, used for every table the report prints.

- Primary suppression: a cell counting fewer than ``MIN_CELL`` learners is not shown.
- Secondary suppression: where a table publishes its total, a single hidden cell could be recovered as the
  total minus the others, so the smallest shown cell is hidden with it; a total under ``MIN_CELL`` hides
  the whole table.
- Shown counts are rounded to a multiple of ``ROUND_TO``: two reports a day apart (or one by region and
  one by language, whose totals agree) then differ by a multiple of five, not by one identifiable learner.
- Months are whole calendar months, never a range the caller picks, so no two reports overlap in part.
"""

from __future__ import annotations

from collections.abc import Mapping

MIN_CELL = 10
ROUND_TO = 5


def hidden_cells(counts: Mapping[str, int], minimum: int = MIN_CELL) -> set[str]:
    """Which cells of one table (group → learners, summing to a published total) must be hidden."""
    if sum(counts.values()) < minimum:
        return set(counts)
    hidden = {key for key, n in counts.items() if 0 < n < minimum}
    if len(hidden) == 1:
        shown = sorted((n, key) for key, n in counts.items() if key not in hidden and n > 0)
        if shown:
            hidden.add(shown[0][1])
    return hidden


def rounded(n: float, base: int = ROUND_TO) -> int:
    """Round half up to a multiple of ``base`` (0 stays 0: an empty cell reveals no one)."""
    return int(base * ((n + base / 2) // base))


def publish(counts: Mapping[str, int], minimum: int = MIN_CELL) -> dict[str, int | None]:
    """A table of counts ready to print: hidden cells as None, the rest rounded."""
    hidden = hidden_cells(counts, minimum)
    return {key: None if key in hidden else rounded(n) for key, n in counts.items()}
