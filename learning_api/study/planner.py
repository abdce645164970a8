"""TEMPORARY: to be replaced by models.session_mix."""

from __future__ import annotations

from typing import Any


def plan(
    reviews: list[Any], new: list[Any], *, size: int, abilities: Any, target_level: str, rng: Any
) -> list[Any]:
    ordered = sorted(reviews, key=lambda c: c.recall)[:size]
    return ordered + new[: max(0, size - len(ordered))]
