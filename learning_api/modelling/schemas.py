"""Model versions as the admin route shows them: which version of each model is served, and how every
version scored on the answers it did not see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class ModelVersionOut(msgspec.Struct):
    model: str
    version: int
    status: str
    created_at: datetime
    n_answers: int
    scores: dict[str, Any]
    report: dict[str, Any]


class ModelVersionsOut(msgspec.Struct):
    current: dict[str, int]
    versions: list[ModelVersionOut]
