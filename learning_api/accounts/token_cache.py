"""The token lookup of every request, remembered per worker for a few seconds.

Every request but the public ones looked its bearer token up: a round trip and about 1.7 ms of a
worker's CPU (of ~10 for one answer, in-process on PostgreSQL). A learner answering sends a request every
few seconds with the same token, so the worker keeps the lookup's row, by the token's hash, for
``seconds`` (`Settings.auth_cache_seconds`) and never past the token's own expiry.

What this worker writes is exact: a commit that wrote users, profiles, sign-in sessions or tokens (log
out, a password change, a role or profile change, an erased account) empties the cache, and a lookup
that was under way while it happened is not kept (a generation counter). What another worker or process
writes shows here within ``seconds``: a token ended elsewhere still opens this worker for at most that
long, and a profile changed elsewhere reads its old values as long. Each request gets its own objects,
built from the kept row: a handler that changes its user changes nothing another request sees.
"""

from __future__ import annotations

import time
from typing import Any

from cachetools import TTLCache
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from learning_api.db.tables import AuthSession, AuthToken, LearnerProfile, User

_MODELS = (User, LearnerProfile, AuthSession, AuthToken)  # what a lookup row is read from
WATCHED = frozenset(model.__table__.name for model in _MODELS)
_WROTE = "token_cache_wrote"  # Session.info key: this session wrote a watched table
KEY = "token_cache"  # Session.info key of the app's cache (`make_sessionmaker(info=...)`)


class TokenCache:
    """Lookup rows by token hash. ``seconds`` ≤ 0 keeps nothing (every request looks up)."""

    def __init__(self, seconds: float, size: int = 20_000) -> None:
        self._rows: TTLCache[str, tuple[Any, ...]] | None = (
            TTLCache(maxsize=size, ttl=seconds, timer=time.monotonic) if seconds > 0 else None
        )
        self.generation = 0

    def get(self, token_hash: str) -> tuple[Any, ...] | None:
        return None if self._rows is None else self._rows.get(token_hash)

    def put(self, token_hash: str, row: tuple[Any, ...], generation: int) -> None:
        """Keep ``row``, read when `generation` was ``generation``: unless a write came since."""
        if self._rows is not None and generation == self.generation:
            self._rows[token_hash] = row

    def clear(self) -> None:
        self.generation += 1
        if self._rows is not None:
            self._rows.clear()


def _wrote(session: Session) -> None:
    """Mark the session, and empty the cache at once too: a lookup that starts now and reads the rows
    before this commit may not be kept (`put` compares generations); the commit empties it again."""
    session.info[_WROTE] = True
    if (cache := session.info.get(KEY)) is not None:
        cache.clear()


@event.listens_for(Session, "do_orm_execute")
def _statement(state: ORMExecuteState) -> None:
    """An INSERT, UPDATE or DELETE statement on a watched table (log out, ending other sessions)."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", None) in WATCHED:
            _wrote(state.session)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _: UOWTransaction) -> None:
    """An object of a watched table added, changed or deleted through the unit of work."""
    if any(isinstance(obj, _MODELS) for obj in (*session.new, *session.dirty, *session.deleted)):
        _wrote(session)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_WROTE, False) and (cache := session.info.get(KEY)) is not None:
        cache.clear()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_WROTE, None)
