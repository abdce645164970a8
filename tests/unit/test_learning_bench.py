"""The learning bench runs (a tiny smoke run), and its simulated learner's wrong answer reaches the log as
a wrong answer: a reply the app refuses as unreadable (a one-line "ei tea" to a true-false or a match
question) is never logged, so only the right answers to those questions counted and the reading and
listening abilities the readiness model reads were inflated (found comparing the app's estimates with
the bench's truth)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from learning_api.catalog.documents import Exercise
from learning_api.study.grading import grade_answer
from scripts.bench.learning import main
from scripts.bench.learning_app import _wrong
from scripts.bench.learning_plan import copies, merge
from scripts.bench.starter import database


def _question(kind: str, answers: list[str], **fields: object) -> Exercise:
    return Exercise(
        id=f"a2-01-test-r1-{kind}", type="reading", skill="reading", lemmas=[], answers=answers,
        group="a2-01-test-r1", kind=kind, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    "question",
    [
        _question("true-false", ["not-given"], statement="Ivan on kohvikus varem töötanud."),
        _question("true-false", ["true"], statement="Ivan töötab kohvikus."),
        _question(
            "match",
            ["kella kaheksast\nsuletud"],
            prompt="Millal?",
            lefts=["esmaspäeval", "pühapäeval"],
            rights=["kella kaheksast", "suletud"],
        ),
        _question("choice", ["teenindajat"], prompt="Keda?", options=["kokka", "teenindajat"]),
        _question("short", ["kell kümme"], prompt="Mis kell?"),
    ],
)
def test_a_simulated_wrong_answer_is_graded_wrong_not_refused(question: Exercise) -> None:
    graded = grade_answer(question, _wrong(question), "en")
    assert not graded.correct


def test_the_bench_runs_its_three_arms_and_prints_one_json_object_last(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A tiny run of the whole bench (the real starter course through the service layer), so it cannot
    break unnoticed again (it did when the writing and speaking skills came)."""
    main(["--learners", "2", "--days", "2", "--minutes", "2", "--processes", "1", "--json"])
    lines = capsys.readouterr().out.strip().splitlines()
    table = {line.split()[0] for line in lines[2:5]}
    assert table == {"adaptive", "before", "sm2"}
    arms = json.loads(lines[-1])["arms"]
    assert set(arms) == {"adaptive", "before", "sm2"}
    common = {"words_retained", "study_minutes", "words_per_minute", "simulated_pass_rate"}
    readiness = {"predicted_pass_rate", "readiness_brier"}
    assert set(arms["adaptive"]) == set(arms["before"]) == common | readiness
    assert set(arms["sm2"]) == common
    for arm in arms.values():
        assert 0 < arm["study_minutes"] <= 2 * 2 + 1  # two days of two minutes (the last answer may run over)
        assert arm["words_per_minute"] >= 0 and 0 <= arm["simulated_pass_rate"] <= 1


def test_shards_merge_into_one_database_with_every_learners_own_rows(tmp_path: Path) -> None:
    """Two shards started from one database, each learner studied in one of them: the merge holds both
    learners' new rows (answers, the profile) and what neither changed, once."""
    a, b = uuid.uuid4(), uuid.uuid4()
    base = tmp_path / "base"
    base.mkdir()
    with contextlib.closing(sqlite3.connect(database(base))) as db, db:
        db.execute("create table items (id text primary key)")
        db.execute("create table answers (learner_id text, id text, primary key (learner_id, id))")
        db.execute("create table learner_profiles (user_id text primary key, level text)")
        db.execute("insert into items values ('a1-01')")
        db.executemany("insert into learner_profiles values (?, 'A1')", [(a.hex,), (b.hex,)])
    shards = copies(base, 2, "arm")
    for folder, learner in zip(shards, (a, b), strict=True):
        with contextlib.closing(sqlite3.connect(database(folder))) as db, db:
            db.execute("insert into answers values (?, ?)", (learner.hex, uuid.uuid4().hex))
            db.execute("update learner_profiles set level = 'A2' where user_id = ?", (learner.hex,))
    merge(tmp_path / "merged", [(shards[0], [a]), (shards[1], [b])])
    with contextlib.closing(sqlite3.connect(database(tmp_path / "merged"))) as db:
        assert sorted(r[0] for r in db.execute("select learner_id from answers")) == sorted([a.hex, b.hex])
        assert {r[0] for r in db.execute("select level from learner_profiles")} == {"A2"}
        assert db.execute("select count(*) from items").fetchone() == (1,)
