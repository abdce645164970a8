"""An offline batch read entry by entry: each entry is decoded and checked on its own, so a bad UUID, a
bad timestamp, an unknown field or a NUL character rejects that entry (its index and the field named)
while every other entry is stored. A rejected entry is final: sending it again gives the same answer."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from learning_api.errors import field_in_message
from learning_api.input_guard import NUL_MESSAGE, bad_input, holds_nul, nul_field
from learning_api.study.schemas import MAX_BATCH, AnswerIn, AnswerResult


def _unreadable(index: int, entry: Any, field: str, reason: str) -> AnswerResult:
    """What can still be read of a rejected entry is echoed back, so the client can match it up."""
    known = entry if isinstance(entry, dict) else {}
    try:
        answer_id = uuid.UUID(known["id"]) if isinstance(known.get("id"), str) else None
    except ValueError:
        answer_id = None
    item_id = known.get("item_id") if isinstance(known.get("item_id"), str) else None
    return AnswerResult(
        index=index, status="rejected", id=answer_id, item_id=item_id, field=field, reason=reason
    )


def decode_entries(entries: list[Any]) -> tuple[list[tuple[int, AnswerIn]], list[AnswerResult]]:
    """(the readable answers with their index, the unreadable entries as rejected results).

    The size limit is checked here: the schema's bounds are not applied to one side of a union."""
    if not 1 <= len(entries) <= MAX_BATCH:
        raise bad_input("body", f"a batch holds 1 to {MAX_BATCH} answers: send a longer one in parts")
    if not holds_nul(entries):  # the usual batch: every entry readable, converted in one call
        try:
            return list(enumerate(msgspec.convert(entries, list[AnswerIn], strict=False))), []
        except msgspec.ValidationError:
            pass  # some entry is not: each is read on its own below
    readable: list[tuple[int, AnswerIn]] = []
    rejected: list[AnswerResult] = []
    for index, entry in enumerate(entries):
        if (field := nul_field(entry)) is not None:
            rejected.append(_unreadable(index, entry, field, NUL_MESSAGE))
            continue
        try:
            readable.append((index, msgspec.convert(entry, AnswerIn, strict=False)))
        except msgspec.ValidationError as exc:
            rejected.append(_unreadable(index, entry, field_in_message(str(exc)) or "entry", str(exc)))
    return readable, rejected
