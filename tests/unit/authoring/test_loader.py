"""The YAML loader keeps the line of every key and item, and reads Estonian words as words."""

from __future__ import annotations

import pytest

from learning_api.authoring.loader import LineDict, LineList, YamlError, load_yaml
from tests.unit.authoring.lesson_fixture import GOOD_LESSON


def test_lines_of_keys_items_and_flow_mappings() -> None:
    data, duplicates = load_yaml(GOOD_LESSON)
    assert duplicates == []
    assert isinstance(data, LineDict) and isinstance(data["exercises"], LineList)
    assert data.line_of("level") == 3
    assert data["title"].line_of("uk") == 11
    assert data["vocabulary"].line_of(1) == 24
    exercises = data["exercises"]
    assert exercises.line_of(0) == 31 and exercises[0].line_of("direction") == 31  # a flow mapping
    assert exercises.line_of(2) == 37 and exercises[2].line_of("answer") == 41
    assert exercises[1]["options"].line_of(1) == 35


def test_estonian_words_stay_words() -> None:
    data, _ = load_yaml("a: on\nb: ei\nc: no\nd: null\ne: Yes\nf: true\ng: ~\n")
    assert data == {"a": "on", "b": "ei", "c": "no", "d": "null", "e": "Yes", "f": True, "g": None}


def test_duplicate_keys_are_reported_with_their_line() -> None:
    _, duplicates = load_yaml("answer: õde\nlemma: õde\nanswer: vend\n")
    assert duplicates == [(3, "duplicate key 'answer'")]


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: [1, 2\nb: 3\n", 2), ("a: 1\n  b: 2\n", 2), ("a: 'open\n", 2)],
)
def test_syntax_errors_name_a_line(text: str, line: int) -> None:
    with pytest.raises(YamlError) as error:
        load_yaml(text)
    assert error.value.line == line
    assert error.value.message.startswith("YAML syntax: ")
