"""The starter course (content/eesti-a1-a2) as shipped: it validates with zero problems, every Estonian
word is known to Vabamorf or listed on purpose, it uploads to the real S3 server, and it is big enough."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from learning_api.authoring.batch import course_stats, upload_paths
from learning_api.authoring.validation import Report, validate_paths
from learning_api.catalog.documents import EXERCISE_TYPES, decode_lesson, lesson_object_key
from learning_api.db.migrate import upgrade
from learning_api.db.session import make_engine, make_sessionmaker
from learning_api.storage import open_store

ROOT = Path(__file__).resolve().parents[3]
COURSE = ROOT / "content" / "eesti-a1-a2"


@cache
def report() -> Report:
    return validate_paths([COURSE])


def test_starter_course_validates_with_zero_problems() -> None:
    assert [str(problem) for problem in report().problems] == []


def test_every_estonian_word_is_known_to_vabamorf_or_listed_in_known_words() -> None:
    assert report().unknown_words == []


def test_starter_course_is_big_enough() -> None:
    stats = course_stats(report())
    assert stats["lessons"] >= 60
    assert stats["lemmas"] >= 800
    assert stats["exercises"] >= 2500
    assert set(stats["exercises_by_type"]) == set(EXERCISE_TYPES)


def test_stats_json_prints_one_object() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "scripts.cli", "content", "stats", "--json", str(COURSE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    stats = json.loads(run.stdout)
    assert {"lessons", "lemmas", "exercises", "exercises_by_type", "levels", "unknown_words"} <= set(stats)
    assert stats["lessons"] == len(list(COURSE.glob("*.yaml")))
    assert sum(stats["exercises_by_type"].values()) == stats["exercises"]
    by_level = stats["by_level"]
    assert sum(level["exercises"] for level in by_level.values()) == stats["exercises"]
    assert sum(level["new_lemmas"] for level in by_level.values()) == stats["lemmas"]


@pytest.mark.s3
async def test_starter_course_uploads_to_the_real_s3_server(s3_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Its own SQLite database: the session's shared one must not point at versions in this bucket."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'course.db'}"
    migrating = threading.Thread(target=upgrade, args=(url,))  # Alembic runs its own event loop
    migrating.start()
    migrating.join()
    engine = make_engine(url)
    store = open_store(s3_server.new_bucket_url())
    store.ensure_bucket()
    try:
        sessions = make_sessionmaker(engine)
        checked, outcomes = await upload_paths(sessions, store, [COURSE], publish=True)
        assert checked.ok, checked.problems[:10]
        assert len(outcomes) == len(checked.lessons) and all(o.changed and o.published for o in outcomes)
        # one distinct recording per listen exercise and per dialogue
        recorded = sum(
            kinds in ("listen", "dialogue")
            for lesson in checked.lessons
            for _, _, kinds in lesson.facts.exercises
        )
        assert sum(o.media_uploaded for o in outcomes) == recorded
        document = decode_lesson(store.get(lesson_object_key("a1-04-perekond", 1)))
        assert document.exercises and all(e.answers for e in document.exercises)
        _, again = await upload_paths(sessions, store, [COURSE], publish=True)
        assert not any(o.changed for o in again)
    finally:
        await engine.dispose()


def test_validate_on_the_content_root_finds_every_course() -> None:
    content = ROOT / "content"
    lessons = [path for path in content.rglob("*.yaml") if "media" not in path.relative_to(content).parts]
    run = subprocess.run(
        [sys.executable, "-m", "scripts.cli", "content", "validate", str(content), "--today", "2026-12-01"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{len(lessons)} lesson(s): no problems")
    assert len(lessons) >= len(list(COURSE.glob("*.yaml"))) > 0


def test_dated_facts_are_marked_and_fall_due_two_years_on() -> None:
    dated = [COURSE / "a2-58-tervishoid.yaml", COURSE / "a2-42-kohalik-omavalitsus.yaml"]
    report_later = validate_paths(dated, today=date(2029, 1, 1))
    assert [w.line for w in report_later.warnings] == [7, 7]
    visit_fee = (COURSE / "a2-58-tervishoid.yaml").read_text(encoding="utf-8")
    assert "viis eurot" not in visit_fee  # the fee changed in April 2025; the lesson no longer states one
