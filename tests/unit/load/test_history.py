"""The load seed's synthetic history is consistent: the harness measures the request path on it, so a
state without answers or an answer after "now" would measure something no learner can produce."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import numpy as np

from scripts.load import history

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ITEMS = [(f"item-{k}", "vocabulary" if k % 2 else "grammar", f"lemma-{k // 3}") for k in range(400)]


def test_probes_come_first_with_their_exact_sizes_then_the_spread():
    learners = history.plan_learners(50, 10, 300, [10, 100], seed=1)
    assert [le.states for le in learners[:2]] == [10, 100]
    assert all(10 <= le.states <= 300 for le in learners[2:])
    assert len({le.states for le in learners[2:]}) > 10  # a spread, not one size


def test_study_rows_are_one_learners_consistent_history():
    learner = history.Learner(number=3, states=250, days=60)
    rows = history.study_rows(learner, ITEMS, NOW, np.random.default_rng(2))
    states = rows["review_states"]
    assert len(states) == 250 and len({s[1] for s in states}) == 250
    assert [s[1] for s in states] == [i for i, *_ in ITEMS[:250]]  # met in course order
    uid = history.learner_id(3)
    assert all(row[0] == uid for table in rows.values() for row in table)
    reps = {s[1]: s[6] for s in states}
    answered = Counter(a[2] for a in rows["answers"])
    assert answered == Counter(reps)  # one logged answer per repetition
    assert all(a[3] <= NOW for a in rows["answers"])
    assert len({a[1] for a in rows["answers"]}) == len(rows["answers"])  # client ids unique
    last_answer = {}
    for a in rows["answers"]:
        last_answer[a[2]] = max(last_answer.get(a[2], a[3]), a[3])
    assert all(abs((last_answer[s[1]] - s[4]).total_seconds()) < 1e-3 for s in states)
    assert {a[1] for a in rows["ability"]} == {"vocabulary", "grammar", "reading", "listening", "writing"}
    assert len(rows["ability_snapshots"]) == 5 * (learner.days + 1)
    days = rows["study_days"]  # the log counted per local day, as the intake counts it
    assert sum(d[2] for d in days) == len(rows["answers"]) and sum(d[3] for d in days) == sum(
        a[6] for a in rows["answers"]
    )
    assert len({d[1] for d in days}) == len(days) > learner.days / 2


def test_columns_match_the_rows():
    learner = history.Learner(number=0, states=5, days=3)
    tables = {
        **history.account_rows(learner, NOW),
        **history.study_rows(learner, ITEMS, NOW, np.random.default_rng(0)),
    }
    for table, rows in tables.items():
        assert all(len(row) == len(history.COLUMNS[table]) for row in rows), table
