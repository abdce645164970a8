"""Upload and publish against a real database (SQLite and PostgreSQL) and real stores (folder, S3):
versions are immutable, unchanged lessons are no-ops, and the item bank follows the published version."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from learning_api.accounts.service import register
from learning_api.authoring.batch import upload_paths
from learning_api.authoring.publishing import publish_version, unpublish
from learning_api.catalog.documents import decode_lesson, lesson_object_key
from learning_api.catalog.levels import LEVEL_DIFFICULTY
from learning_api.db.tables import Item, Lesson, LessonVersion, ReviewState
from learning_api.storage import ObjectStore
from learning_api.study.selection import family
from tests.conftest import unique_email
from tests.unit.authoring.lesson_fixture import GOOD_LESSON, unique_lesson_id, write_course

Sessions = async_sessionmaker[AsyncSession]


async def _items(db: Sessions, lesson_id: str) -> dict[str, Item]:
    async with db() as session:
        return {
            item.id: item for item in await session.scalars(select(Item).where(Item.lesson_id == lesson_id))
        }


async def _lesson(db: Sessions, lesson_id: str) -> Lesson:
    async with db() as session:
        lesson = await session.get(Lesson, lesson_id)
        assert lesson is not None
        return lesson


async def test_upload_publish_reupload_change_and_roll_back(
    db: Sessions, store: ObjectStore, tmp_path: Path
) -> None:
    lesson_id = unique_lesson_id()
    path = write_course(tmp_path, lesson_id=lesson_id)

    report, (first,) = await upload_paths(db, store, [path], publish=True)
    assert report.ok and (first.version, first.changed, first.published, first.media_uploaded) == (
        1,
        True,
        True,
        1,
    )
    v1_bytes = store.get(lesson_object_key(lesson_id, 1))
    document = decode_lesson(v1_bytes)
    assert document.version == 1 and store.exists(document.exercises[-1].audio or "")
    items = await _items(db, lesson_id)
    assert len(items) == 7 and {item.irt_b for item in items.values()} == {LEVEL_DIFFICULTY["A1"]}
    assert items[f"{lesson_id}-04"].type == "inflect" and items[f"{lesson_id}-04"].lemmas == ["õde"]

    _, (again,) = await upload_paths(db, store, [path], publish=True)
    assert (again.version, again.changed, again.media_uploaded) == (1, False, 0)
    assert [o.key for o in store.list(f"lessons/{lesson_id}/")] == [lesson_object_key(lesson_id, 1)]

    changed = GOOD_LESSON.replace("Learn to greet.", "Learn to say hello.")
    order_exercise = "  - id: a1-01-tere-06\n    type: order\n    answer: Minu õde elab Tartus.\n"
    changed = changed.replace(order_exercise + "    accept: [Tartus elab minu õde.]\n", "")
    write_course(tmp_path, changed, lesson_id=lesson_id)
    _, (second,) = await upload_paths(db, store, [path], publish=True)
    assert (second.version, second.changed, second.media_uploaded) == (2, True, 0)  # same audio, stored once
    assert store.get(lesson_object_key(lesson_id, 1)) == v1_bytes  # versions are immutable
    items = await _items(db, lesson_id)
    assert items[f"{lesson_id}-06"].removed_in_version == 2
    assert {item.lesson_version for key, item in items.items() if not key.endswith("-06")} == {2}

    async with db() as session, session.begin():
        await publish_version(session, store, lesson_id, 1)  # roll back
    assert (await _lesson(db, lesson_id)).published_version == 1
    assert (await _items(db, lesson_id))[f"{lesson_id}-06"].removed_in_version is None
    async with db() as session, session.begin():
        await unpublish(session, lesson_id)
    lesson = await _lesson(db, lesson_id)
    assert (lesson.published_version, lesson.latest_version) == (None, 2)


async def test_upload_without_publish_serves_nothing_new(
    db: Sessions, store: ObjectStore, tmp_path: Path
) -> None:
    lesson_id = unique_lesson_id()
    path = write_course(tmp_path, lesson_id=lesson_id)
    _, (outcome,) = await upload_paths(db, store, [path], publish=False)
    assert (outcome.version, outcome.published) == (1, False)
    assert (await _lesson(db, lesson_id)).published_version is None and await _items(db, lesson_id) == {}
    async with db() as session, session.begin():
        await publish_version(session, store, lesson_id)
    assert (await _lesson(db, lesson_id)).published_version == 1 and len(await _items(db, lesson_id)) == 7


async def test_a_published_id_cannot_change_its_type(
    db: Sessions, store: ObjectStore, tmp_path: Path
) -> None:
    lesson_id = unique_lesson_id()
    path = write_course(tmp_path, lesson_id=lesson_id)
    await upload_paths(db, store, [path], publish=True)
    order_block = "    type: order\n    answer: Minu õde elab Tartus.\n    accept: [Tartus elab minu õde.]\n"
    choice_block = (
        "    type: choice\n    prompt: Minu ema tütar on minu ...\n"
        + "    options: [õde, vend]\n    answer: õde\n"
    )
    write_course(tmp_path, GOOD_LESSON.replace(order_block, choice_block), lesson_id=lesson_id)
    report, outcomes = await upload_paths(db, store, [path], publish=True)
    assert outcomes == []
    assert [(p.line, p.message) for p in report.problems] == [
        (
            51,
            f"exercise id '{lesson_id}-06' was published with type 'order' in lesson '{lesson_id}': "
            "ids are stable, give this exercise a new id",
        )
    ]
    async with db() as session:
        versions = await session.scalars(select(LessonVersion).where(LessonVersion.lesson_id == lesson_id))
        assert [v.version for v in versions] == [1]


async def test_a_state_follows_its_item_into_a_new_family(
    db: Sessions, store: ObjectStore, tmp_path: Path
) -> None:
    """A new version may change an item's lemmas: the learners' states of it move to its new family (the
    session reads a family's memory by the states' family)."""
    lesson_id = unique_lesson_id()
    path = write_course(tmp_path, lesson_id=lesson_id)
    await upload_paths(db, store, [path], publish=True)
    first, other = f"{lesson_id}-01", f"{lesson_id}-03"
    async with db() as session, session.begin():
        learner = await register(session, email=unique_email(), password="hea-parool-123")
        at = datetime(2026, 12, 1, tzinfo=UTC)
        for item_id, key in ((first, "tere"), (other, "õde")):
            session.add(
                ReviewState(learner_id=learner.id, item_id=item_id, difficulty=5.0, stability=3.0,
                            last_review=at, due=at, reps=1, lapses=0, family=key)
            )  # fmt: skip
    flashcard = "{id: a1-01-tere-01, type: flashcard, lemma: tere,"
    changed = GOOD_LESSON.replace(flashcard, flashcard.replace("tere,", "õde,"))
    write_course(tmp_path, changed, lesson_id=lesson_id)
    report, _ = await upload_paths(db, store, [path], publish=True)
    assert report.ok
    items = await _items(db, lesson_id)
    async with db() as session:
        states = {s.item_id: s.family for s in await session.scalars(select(ReviewState))
                  if s.learner_id == learner.id}  # fmt: skip
    assert family(items[first]) == "õde" and states == {first: "õde", other: "õde"}
