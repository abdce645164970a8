"""JSON columns are decoded by msgspec (`db.session.read_json`) to the values the standard library gives,
including texts only the standard library reads (``NaN``, ``Infinity``: what its encoder writes for
those floats), so no stored value reads back differently."""

from __future__ import annotations

import json
import math

import numpy as np

from learning_api.db.session import read_json


def test_json_columns_read_as_the_standard_library_reads_them() -> None:
    posterior = np.random.default_rng(5).normal(size=101).tolist()
    values = [
        posterior,
        {"text": "Tere, õpetaja! Ütle „aitäh“.", "expected": ["ööbik", "jää"], "details": None},
        {"big": 2**70, "small": -1e-300, "nested": [[1, 2.5], {"a": True}]},
        [],
        "",
    ]
    for value in values:
        text = json.dumps(value)
        assert read_json(text) == json.loads(text) == value
        assert read_json(text.encode()) == value
    odd = read_json(json.dumps({"nan": float("nan"), "inf": float("inf")}))
    assert math.isnan(odd["nan"]) and odd["inf"] == math.inf
