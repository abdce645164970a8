"""The disclosure rule: no cell of fewer than ten learners, and no lone hidden cell next to a total."""

from __future__ import annotations

from learning_api.reports.disclosure import hidden_cells, publish, rounded


def test_small_cells_are_hidden_with_the_smallest_shown_one_beside_a_lone_hidden_cell() -> None:
    counts = {"Ida-Virumaa": 23, "Tallinn": 15, "Pärnumaa": 11, "Tartumaa": 4}
    assert hidden_cells(counts) == {"Tartumaa", "Pärnumaa"}


def test_two_small_cells_need_no_secondary_suppression() -> None:
    assert hidden_cells({"ru": 40, "uk": 3, "en": 6}) == {"uk", "en"}


def test_a_table_whose_total_is_small_is_hidden_whole() -> None:
    assert hidden_cells({"ru": 6, "uk": 3}) == {"ru", "uk"}


def test_empty_cells_reveal_no_one_and_stay_shown() -> None:
    assert hidden_cells({"A1": 12, "A2": 0, "B1": 30}) == set()


def test_publish_rounds_to_fives_and_hides() -> None:
    assert publish({"ru": 42, "uk": 18, "en": 2}) == {"ru": 40, "uk": None, "en": None}
    assert [rounded(n) for n in (0, 2, 3, 12, 13)] == [0, 0, 5, 10, 15]
