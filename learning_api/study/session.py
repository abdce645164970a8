"""Build the daily study session: due reviews (lowest predicted recall first), unseen items of due
families, the teacher's assignments, then new items the learner does not know yet in course order, mixed
by the session planner in models/, rendered without answers. The rules are in `selection`."""

from __future__ import annotations

import uuid
from collections.abc import Container, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import anyio
import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.catalog.documents import Exercise, Passage
from learning_api.catalog.rendering import render_exercise
from learning_api.db.tables import LearnerProfile
from learning_api.kinds import StudyOrder
from learning_api.modelling.params import ParamsCache
from learning_api.progress import readiness
from learning_api.storage import ObjectStore
from learning_api.study import planner
from learning_api.study.bank import BankItem, Published, published_bank
from learning_api.study.coverage import doubtful, read_met, remembered
from learning_api.study.evidence import open_assignment_items
from learning_api.study.memory import (
    MemoryParams,
    good_intervals,
    recall_now,
    relearning,
    states_of,
    thetas,
)
from learning_api.study.params import live_params
from learning_api.study.planner import Candidate
from learning_api.study.repository import read_abilities
from learning_api.study.schemas import SessionItem, SessionOut
from learning_api.study.selection import family, family_introductions, new_material, predicted_success
from learning_api.study.states import FamilyState, State, due_rows, met_among, strongest_states

NEW_ITEMS_AHEAD = 2  # new candidates: the next (this × session size) new exercises in course order
# Due reviews considered: the soonest due, at least this many (and 5 × the session size). The planner
# takes the lowest recall among them; a learner back after months is served their oldest debts first,
# at the same cost as a learner with a handful.
DUE_CANDIDATES = 100
DAY = timedelta(days=1)


def end_of_day(now: datetime, time_zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(time_zone))
    return (local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)).astimezone(
        now.tzinfo
    )


def _candidates(
    due: Sequence[State],
    course: dict[str, Published],
    intro: list[tuple[BankItem, Exercise]],
    strongest: dict[str, FamilyState],
    new: list[tuple[BankItem, Exercise, float, bool]],
    now: datetime,
    params: MemoryParams,
) -> tuple[list[Candidate], list[Candidate]]:
    """(reviews, new material) with their recall and the interval a good answer now would give, from one
    call of the memory model for each (the model works row by row: the values are those of a call per
    kind, at a third of the calls). Reviews are the ``due`` states, then the unseen items of due families
    (``intro``), which enter with their family's recall and interval (the family's memory: the state of
    its studied member with the highest stability, in ``strongest``). ``new``: (item, exercise,
    predicted success, required); a first answer's state follows the cold start from the prediction."""
    states = [*due, *(strongest[family(item)] for item, _ in intro)]  # type: ignore[index]  # a due member
    table = states_of([*states, *[None] * len(new)])  # converted once for both questions
    recall = recall_now(table.take(np.arange(len(states))), now, params)
    first_p = [float("nan")] * len(states) + [p for _, _, p, _ in new]  # used for first answers only
    intervals = good_intervals(table, now, params, first_p)
    n, m = len(due), len(states)
    reviews = [
        Candidate(course[row.item_id].item, course[row.item_id].exercise, "review", float(interval),
                  recall=float(r), relearning=relearning(row.last_review, row.due))
        for row, r, interval in zip(due, recall[:n], intervals[:n], strict=True)
    ] + [
        Candidate(item, exercise, "review", float(interval), recall=float(r))
        for (item, exercise), r, interval in zip(intro, recall[n:], intervals[n:m], strict=True)
    ]  # fmt: skip
    fresh = [
        Candidate(item, exercise, "new", float(interval), predicted_success=p, required=required)
        for (item, exercise, p, required), interval in zip(new, intervals[m:], strict=True)
    ]
    return reviews, fresh


def one_per_family(reviews: list[Candidate], seen: set[str]) -> list[Candidate]:
    """A due family is practised once a session. Its memory is shared (the lemma's), so right after one
    member is answered the others are recalled almost surely: in the learning bench, answers to a due
    family's second member in a session were 99 % right and taught nothing. The one kept is a member
    being relearned after a lapse (that step is promised), else a member not done yet (it refreshes the
    word and adds a way of practising it), else the member with the lowest recall. The others keep
    their due dates; a right answer to the kept one moves them on (`Scheduler.remember`)."""
    best: dict[str, Candidate] = {}
    for candidate in reviews:
        key = family(candidate.item)
        held = best.get(key) if key is not None else None
        if key is not None and (held is None or _rank(candidate, seen) < _rank(held, seen)):
            best[key] = candidate
    return [c for c in reviews if (key := family(c.item)) is None or best[key] is c]


def _rank(candidate: Candidate, seen: set[str]) -> tuple[bool, bool, float]:
    recall = candidate.recall if candidate.recall is not None else 1.0
    return (not candidate.relearning, candidate.item.id in seen, recall)


def passage_of(candidate: Candidate) -> Passage | None:
    """The text or dialogue whose questions come with the candidate; None for an item that stands alone
    (no passage, or a copy under an id its passage does not list)."""
    passage = candidate.exercise.passage
    return passage if passage is not None and candidate.item.id in passage.questions else None


def with_siblings(
    chosen: list[tuple[Candidate, int]],
    candidates: list[Candidate],
    course: dict[str, Published],
    seen: Container[str],
    size: int,
) -> list[tuple[Candidate, int]]:
    """A question about a text or a dialogue brings the other questions of its group, in question order,
    at the place of the first one chosen: a text is read once for all its questions. Where the groups
    take the session over ``size``, single items from the end make room (a group is never cut).
    ``seen`` answers for the siblings that are not ``candidates``."""
    known = {c.item.id: c for c in candidates}
    out: list[tuple[Candidate, int]] = []
    placed: set[str] = set()
    grouped: set[str] = set()
    for candidate, day in chosen:
        passage = passage_of(candidate)
        for item_id in passage.questions if passage else [candidate.item.id]:
            if item_id in placed or item_id not in course:
                continue
            entry = course[item_id]
            sibling = known.get(item_id) or Candidate(
                entry.item, entry.exercise, "review" if item_id in seen else "new", candidate.interval_days
            )
            out.append((sibling, day))
            placed.add(item_id)
            if passage:
                grouped.add(item_id)
    singles = [i for i, (c, _) in enumerate(out) if c.item.id not in grouped]
    drop = set(singles[::-1][: max(0, len(out) - size)])
    return [entry for i, entry in enumerate(out) if i not in drop]


async def build_session(
    session: AsyncSession,
    store: ObjectStore,
    learner_id: uuid.UUID,
    profile: LearnerProfile,
    now: datetime,
    size: int,
    seed: int,
    media_ttl: timedelta,
    params: ParamsCache,
) -> SessionOut:
    bank = await published_bank(session, store)
    course = bank.studied
    today_ends = end_of_day(now, profile.time_zone)
    considered = max(DUE_CANDIDATES, 5 * size)
    due_rows_ = await due_rows(session, learner_id, today_ends, considered)
    live = await live_params(params, session, learner_id)
    memory = live.memory
    order = StudyOrder(profile.study_order)
    adaptive = order == StudyOrder.ADAPTIVE
    due = [row for row in due_rows_ if row.item_id in course]  # dropped items stop
    due_families = {key for key in (family(course[row.item_id].item) for row in due) if key is not None}
    assigned = [i for i in await open_assignment_items(session, learner_id, now) if i in course]
    edges = [today_ends + k * DAY for k in range(8)]
    met = await read_met(session, learner_id, not adaptive, due_families, assigned, edges)
    seen = met.items  # answers for the due families' members, the assigned items and (adaptive) no family
    members = {key: bank.live_families.get(key, ()) for key in due_families}
    intro = [(course[i].item, course[i].exercise) for i in family_introductions(members, seen, order)]
    doubts = doubtful(met, bank.unstudied)
    wanted = {key for key in (family(item) for item, _ in intro) if key is not None} | doubts
    others = [i for key in wanted for i in bank.unstudied.get(key, ())]
    strongest = await strongest_states(session, learner_id, wanted, others)
    abilities = await read_abilities(session, learner_id)
    theta = thetas(abilities)
    required = [
        (item, exercise, predicted_success(theta, item, exercise, live.ab(item)), True)
        for item, exercise in ((course[i].item, course[i].exercise) for i in assigned if i not in seen)
    ]
    met_ids = seen | set(assigned)
    known = remembered(met, doubts, strongest)
    # narrowed by the ids no family rule skips: the due families' met members are of remembered families
    ahead = bank.course.unmet([*met.unruled, *assigned], known, skip_remembered=adaptive)
    fresh = new_material(ahead, met_ids, known, theta, live.ab, NEW_ITEMS_AHEAD * size, order)
    choices = required + [(c.item, c.exercise, c.predicted_success, False) for c in fresh]
    due_candidates, new = _candidates(due, course, intro, strongest, choices, now, memory)
    reviews = one_per_family(due_candidates, seen)
    rng = np.random.default_rng(seed)
    gains = readiness.skill_gains(abilities, profile.target_level, live.current.cuts)
    chosen = planner.plan(
        reviews,
        new,
        size=size,
        weights=planner.skill_weights(gains),
        upcoming_load=met.week,
        rng=rng,
    )
    candidates = [*reviews, *new]
    loose = {i for c, _ in chosen if (p := passage_of(c)) for i in p.questions}
    loose -= {c.item.id for c in candidates}  # siblings not among the candidates: their seen-ness is read
    chosen = with_siblings(chosen, candidates, course, await met_among(session, learner_id, loose), size)
    lang = profile.instruction_language
    due_total = met.due_today if len(due_rows_) == considered else len(due)  # more due than were read

    def render_all() -> list[SessionItem]:
        return [
            SessionItem(
                item_id=c.item.id,
                lesson_id=c.item.lesson_id,
                kind=c.kind,  # type: ignore[arg-type]
                skill=c.item.skill,
                topic=c.item.topic,
                exercise=render_exercise(c.exercise, lang, store, rng, media_ttl),
                recall=None if c.recall is None else round(c.recall, 4),
                predicted_success=None if c.predicted_success is None else round(c.predicted_success, 4),
                assigned=c.required,
                comes_back_in_days=day,
            )
            for c, day in chosen
        ]

    rendered = await anyio.to_thread.run_sync(render_all)
    return SessionOut(
        session_id=uuid.uuid4(),
        generated_at=now,
        language=lang,
        reviews=sum(c.kind == "review" for c, _ in chosen),
        new=sum(c.kind == "new" for c, _ in chosen),
        due_total=due_total,
        items=rendered,
    )
