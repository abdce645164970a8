"""Synthetic learners with years of history: accounts, tokens, review states, the answer log, ability
rows, daily ability snapshots and study days, as plain row tuples in the tables' column order.

Deterministic from the seed: the load client derives a learner's id and token from its number alone.
Memory states are plausible, not replayed (stabilities log-normal, due = last review + stability, a
tenth of them overdue), since the harness measures how the request path reads them, not what they mean.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from learning_api.db.study_days import day_counts
from learning_api.db.tables.accounts import DEFAULT_TIME_ZONE
from models.ability import GRID, SKILLS

NAMESPACE = uuid.UUID("5b0f4a8e-9d6c-4f1e-8a57-1c3e2d4b6a70")
LANGUAGES = ("en", "ru", "uk", "et")
DAY = 86_400.0

COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("id", "email", "password_hash", "role", "display_name", "created_at"),
    "learner_profiles": (
        "user_id", "native_language", "instruction_language", "region", "time_zone", "target_level",
        "daily_goal_minutes", "daily_goal_items", "updated_at",
    ),
    "auth_sessions": ("id", "user_id", "refresh_hash", "created_at", "expires_at"),
    "auth_tokens": ("token_hash", "user_id", "session_id", "created_at", "expires_at"),
    "review_states": (
        "learner_id", "item_id", "difficulty", "stability", "last_review", "due", "reps", "lapses", "family",
    ),
    "answers": (
        "learner_id", "id", "item_id", "answered_at", "received_at", "response", "correct", "verdict",
        "grade", "latency_ms", "source", "feedback",
    ),
    "ability": ("learner_id", "skill", "theta", "se", "n_answers", "posterior", "updated_at"),
    "ability_snapshots": ("learner_id", "day", "skill", "theta", "se"),
    "study_days": ("learner_id", "day", "answers", "correct"),
}  # fmt: skip


def learner_id(number: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"learner-{number}")


def token(number: int) -> str:
    return f"load-token-{number}"


@dataclass(frozen=True, slots=True)
class Learner:
    number: int
    states: int  # review states (items met so far, in course order)
    days: int  # days of history


def plan_learners(count: int, low: int, high: int, probes: list[int], seed: int) -> list[Learner]:
    """``probes`` first (one learner per exact size, for the growth table), then ``count`` learners with
    log-uniform history sizes in [low, high]; days of history grow with the size (≈ 7 items a day)."""
    rng = np.random.default_rng(seed)
    sizes = [*probes, *np.exp(rng.uniform(np.log(low), np.log(high), count)).astype(int).tolist()]
    return [Learner(n, size, int(min(730, max(2, size // 7)))) for n, size in enumerate(sizes)]


def account_rows(learner: Learner, now: datetime) -> dict[str, list[tuple]]:
    uid = learner_id(learner.number)
    sid = uuid.uuid5(NAMESPACE, f"session-{learner.number}")
    lang = LANGUAGES[learner.number % len(LANGUAGES)]
    born, ends = now - timedelta(days=learner.days), now + timedelta(days=30)
    return {
        "users": [(uid, f"load-{learner.number}@load.keelerada.test", "!", "learner", "", born)],
        "learner_profiles": [(uid, lang, lang, "", DEFAULT_TIME_ZONE, "B1", 15, 20, now)],
        "auth_sessions": [(sid, uid, "!", now, ends)],  # no refresh token
        "auth_tokens": [(hashlib.sha256(token(learner.number).encode()).hexdigest(), uid, sid, now, ends)],
    }


def study_rows(
    learner: Learner, items: list[tuple[str, str, str | None]], now: datetime, rng: np.random.Generator
) -> dict[str, list[tuple]]:
    """States, answers, ability, snapshots and study days (counted from the answers by the intake's
    rule) of one learner; ``items`` are (id, skill, family) in course order (a state carries its item's
    family, as the answer intake writes it)."""
    uid, n = learner_id(learner.number), min(learner.states, len(items))
    start = now.timestamp() - learner.days * DAY
    first = np.sort(rng.uniform(start, now.timestamp() - DAY, n))
    stability = np.exp(rng.normal(np.log(20.0), 1.2, n))
    last = np.minimum(first + rng.uniform(0, 1, n) * (now.timestamp() - first), now.timestamp() - 600)
    due = last + stability * DAY
    overdue = rng.random(n) < 0.1
    due[overdue] = now.timestamp() - rng.uniform(0, 5 * DAY, overdue.sum())
    reps = 1 + rng.geometric(0.35, n)
    lapses = rng.binomial(reps - 1, 0.15)
    difficulty = rng.uniform(1.0, 10.0, n)
    states = [
        (uid, items[k][0], float(difficulty[k]), float(stability[k]), _at(last[k]), _at(due[k]), int(reps[k]),
         int(lapses[k]), items[k][2])
        for k in range(n)
    ]  # fmt: skip
    answers = list(_answers(uid, items, first, last, reps, now, rng))
    days = day_counts(((a[0], a[3], a[6]) for a in answers), ZoneInfo(DEFAULT_TIME_ZONE))
    return {
        "review_states": states,
        "answers": answers,
        **_ability(uid, learner, items[:n], now, rng),
        "study_days": [(d["learner_id"], d["day"], d["answers"], d["correct"]) for d in days],
    }


def _answers(
    uid: uuid.UUID,
    items: list[tuple[str, str, str | None]],
    first: np.ndarray,
    last: np.ndarray,
    reps: np.ndarray,
    now: datetime,
    rng: np.random.Generator,
) -> Iterator[tuple]:
    """``reps`` answers per state, evenly spread from its first to its last review (vectorised: a
    thousand learners' logs are millions of rows)."""
    state = np.repeat(np.arange(len(first)), reps)
    step = np.arange(len(state)) - np.repeat(np.cumsum(reps) - reps, reps)
    moments = first[state] + (last - first)[state] * step / np.maximum(reps[state] - 1, 1)
    right = (rng.random(len(state)) < 0.8).tolist()
    latency = rng.integers(1500, 9000, len(state)).tolist()
    ids = rng.bytes(16 * len(state))
    for k, (s, moment) in enumerate(zip(state.tolist(), moments.tolist(), strict=True)):
        at, ok = _at(moment), right[k]
        yield (
            uid, uuid.UUID(bytes=ids[16 * k : 16 * k + 16], version=4), items[s][0], at, at, "", ok,
            "exact" if ok else "wrong", 3 if ok else 1, latency[k], "session", "{}",
        )  # fmt: skip


def _ability(
    uid: uuid.UUID,
    learner: Learner,
    items: list[tuple[str, str, str | None]],
    now: datetime,
    rng: np.random.Generator,
) -> dict[str, list[tuple]]:
    counts = {skill: sum(1 for item in items if item[1] == skill) for skill in SKILLS}
    grown = min(1.0, learner.states / 2000)
    theta = {skill: float(-2.0 + 3.5 * grown + rng.normal(0, 0.3)) for skill in SKILLS}
    abilities = []
    for skill in SKILLS:
        se = 1.0 / np.sqrt(1.0 + counts[skill] / 4)
        log_post = -0.5 * ((GRID - theta[skill]) / se) ** 2
        log_post -= np.logaddexp.reduce(log_post)
        abilities.append(
            (uid, skill, theta[skill], float(se), counts[skill], json.dumps(log_post.tolist()), now)
        )
    snapshots = []
    for back in range(learner.days, -1, -1):  # a snapshot per skill and study day, as answers write them
        day = (now - timedelta(days=back)).date().isoformat()
        share = 1.0 - back / max(1, learner.days)
        for skill in SKILLS:
            snapshots.append((uid, day, skill, -2.0 + (theta[skill] + 2.0) * share, 0.5))
    return {"ability": abilities, "ability_snapshots": snapshots}


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(float(seconds), UTC)
