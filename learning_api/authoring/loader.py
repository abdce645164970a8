"""Read a lesson YAML file keeping the line of every key and list item, so each problem the validator
finds can be reported as ``file:line: message`` at the exact place the author has to fix.

Two changes to YAML 1.1's implicit types, both for Estonian text: only ``true``/``false`` are booleans
(the Estonian verb "on" and the answer "ei"/"no" would otherwise turn into True/False), and only ``~`` or
an empty value is null (the Estonian numeral "null" stays a word).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"


class LineDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses a course ~5x faster


class LessonLoader(_BASE_LOADER):  # type: ignore[valid-type, misc]
    """SafeLoader that builds LineDict/LineList and records duplicate keys instead of dropping one."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []


LessonLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (BOOL_TAG, NULL_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LessonLoader.add_implicit_resolver(BOOL_TAG, re.compile(r"^(?:true|false)$"), list("tf"))
LessonLoader.add_implicit_resolver(NULL_TAG, re.compile(r"^(?:~|)$"), ["~", ""])


def _construct_mapping(loader: LessonLoader, node: MappingNode):  # type: ignore[no-untyped-def]
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise YamlError(line, "a key must be plain text") from None
        if key in data:
            loader.duplicates.append((line, f"duplicate key '{key}'"))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_sequence(loader: LessonLoader, node: SequenceNode):  # type: ignore[no-untyped-def]
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


LessonLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LessonLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """The document and the (line, message) of duplicate keys; raises YamlError for broken YAML."""
    loader = LessonLoader(text)
    try:
        return loader.get_single_data(), loader.duplicates
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, f"YAML syntax: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"YAML: {exc}") from None
    finally:
        loader.dispose()
