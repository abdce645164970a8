"""Seed a load-test database: the starter course, an archive bank big enough for the longest history,
and N learners with years of history (see history.py), written with PostgreSQL COPY (SQLite: executemany).

    python -m scripts.load.seed --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/keelerada_load \
        --store var/load/objects --learners 1000 --states 10:1000 --probes 10,100,1000,5000

The database is dropped and made again (it must be one of its own: the name must contain "load"); the
lesson objects go to the folder store given. Writes the learners (number, states) to --manifest for the
load client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import msgspec
import numpy as np
from sqlalchemy import select

from learning_api.authoring.compile import CompiledLesson
from learning_api.authoring.publishing import upload_lesson
from learning_api.catalog.library import load_lesson
from learning_api.db.session import make_engine, make_sessionmaker
from learning_api.db.tables import Item, Lesson
from learning_api.storage import LocalStore, ObjectStore
from learning_api.study.selection import family
from scripts.load import history

COURSE = Path(__file__).resolve().parents[2] / "content" / "eesti-a1-a2"
ARCHIVE_COURSE = "keelerada-load-archive"
CHUNK = 20_000  # rows per COPY call: bounded memory however many learners


def _check_name(url: str) -> str:
    name = urlsplit(url).path.strip("/")
    if "load" not in Path(name).name:
        raise SystemExit(f"refusing to recreate {name!r}: a load database's name contains 'load'")
    return name


async def recreate_database(url: str) -> None:
    name = _check_name(url)
    if url.startswith("sqlite"):
        Path(name).unlink(missing_ok=True)
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        return
    import asyncpg

    admin = await asyncpg.connect(_asyncpg_url(url).rsplit("/", 1)[0] + "/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def load_bank(url: str, store: ObjectStore, needed: int) -> list[tuple[str, str, str | None]]:
    """Upload the starter course, then archive copies of it until the bank has ``needed`` items: a
    learner with years of history has met more exercises than the starter course holds. Returns
    (item id, skill, family) in course order."""
    from learning_api.authoring.batch import upload_paths

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        report, _ = await upload_paths(sessions, store, sorted(COURSE.glob("*.yaml")), publish=True)
        if not report.ok:
            raise SystemExit(f"the starter course does not validate: {report.problems[:3]}")
        async with sessions() as session:
            lessons = list(await session.scalars(select(Lesson).order_by(Lesson.position, Lesson.id)))
        documents = [load_lesson(store, lesson.id, lesson.published_version or 1) for lesson in lessons]
        bank = sum(len(d.exercises) for d in documents)
        copy = 0
        while bank < needed:
            copy += 1
            for document in documents:
                async with sessions() as session, session.begin():
                    await upload_lesson(session, store, _archive_copy(document, copy), publish=True)
                bank += len(document.exercises)
        async with sessions() as session:
            rows = await session.execute(
                select(Item)
                .join(Lesson, Lesson.id == Item.lesson_id)
                .order_by(Lesson.position, Lesson.id, Item.id)
            )
            return [(item.id, item.skill, family(item)) for item in rows.scalars()]
    finally:
        await engine.dispose()


def _archive_copy(document, copy: int) -> CompiledLesson:  # type: ignore[no-untyped-def]
    exercises = [msgspec.structs.replace(e, id=f"{e.id}-x{copy}") for e in document.exercises]
    return CompiledLesson(
        msgspec.structs.replace(
            document,
            id=f"{document.id}-x{copy}",
            course=ARCHIVE_COURSE,
            order=document.order + 1000 * copy,
            version=0,
            source_sha256=f"{document.source_sha256[:56]}x{copy:07d}",
            exercises=exercises,
        ),
        {},
    )


class Writer:
    """Buffers rows per table and writes them in chunks: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, url: str) -> None:
        self.url, self.rows, self.written = (
            url,
            {t: [] for t in history.COLUMNS},
            dict.fromkeys(history.COLUMNS, 0),
        )

    async def __aenter__(self) -> Writer:
        if self.url.startswith("sqlite"):
            import sqlite3

            self.sqlite = sqlite3.connect(urlsplit(self.url).path.lstrip("/"))
        else:
            import asyncpg

            self.pg = await asyncpg.connect(_asyncpg_url(self.url))
            # The generated rows are consistent by construction: skip the per-row foreign-key triggers
            # (a superuser setting, as in any bulk load; the load database is our own).
            await self.pg.execute("SET session_replication_role = replica")
        return self

    async def add(self, table: str, rows: list[tuple]) -> None:
        self.rows[table].extend(rows)
        if len(self.rows[table]) >= CHUNK:
            await self.flush(table)

    async def flush(self, table: str) -> None:
        rows, columns = self.rows[table], history.COLUMNS[table]
        if not rows:
            return
        if self.url.startswith("sqlite"):
            marks = ", ".join("?" * len(columns))
            self.sqlite.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", [_sqlite_row(r) for r in rows]
            )
        else:
            await self.pg.copy_records_to_table(table, records=rows, columns=list(columns))
        self.written[table] += len(rows)
        self.rows[table] = []

    async def __aexit__(self, *exc: object) -> None:
        for table in history.COLUMNS:  # in order: parents before children
            await self.flush(table)
        if self.url.startswith("sqlite"):
            self.sqlite.commit()
            self.sqlite.close()
        else:
            # as autovacuum leaves a live database: statistics, and the visibility map that lets the
            # (learner, ...) indexes answer alone; fresh COPYed pages have none, so every index read
            # would visit the table's pages as well
            await self.pg.execute("VACUUM (ANALYZE)")
            await self.pg.close()


def _sqlite_row(row: tuple) -> tuple:
    """SQLite stores what SQLAlchemy would: uuids as 32 hex digits, datetimes as naive UTC text."""
    return tuple(
        v.hex if isinstance(v, uuid.UUID)
        else v.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ") if isinstance(v, datetime)
        else v
        for v in row
    )  # fmt: skip


async def seed(args: argparse.Namespace) -> dict:
    started = time.perf_counter()
    low, high = (int(x) for x in args.states.split(":"))
    probes = [int(x) for x in args.probes.split(",") if x]
    learners = history.plan_learners(args.learners, low, high, probes, args.seed)
    await recreate_database(args.database_url)
    from learning_api.db.migrate import upgrade

    await asyncio.to_thread(upgrade, args.database_url)  # Alembic runs its own event loop
    store = LocalStore(Path(args.store).resolve())
    store.ensure_bucket()
    items = await load_bank(args.database_url, store, max(le.states for le in learners))
    bank_done = time.perf_counter()
    now, rng = datetime.now(UTC), np.random.default_rng(args.seed)
    async with Writer(args.database_url) as writer:
        for learner in learners:  # accounts first: every learner-owned row refers to one
            for table, rows in history.account_rows(learner, now).items():
                await writer.add(table, rows)
        for table in ("users", "learner_profiles", "auth_sessions", "auth_tokens"):
            await writer.flush(table)
        for learner in learners:
            for table, rows in history.study_rows(learner, items, now, rng).items():
                await writer.add(table, rows)
    return {
        "bank_items": len(items),
        "rows": writer.written,
        "seconds": {"bank": round(bank_done - started, 1), "rows": round(time.perf_counter() - bank_done, 1)},
        "probes": probes,
        "learners": [{"number": le.number, "states": min(le.states, len(items))} for le in learners],
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.load.seed", description=__doc__)
    parser.add_argument("--database-url", required=True, help="its database name must contain 'load'")
    parser.add_argument("--store", default="var/load/objects", help="folder of the lesson objects")
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--states", default="10:1000", help="LOW:HIGH review states per learner")
    parser.add_argument("--probes", default="10,100,1000,5000", help="extra learners with exact sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--manifest", default="var/load/manifest.json", help="where the learners are listed")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = asyncio.run(seed(args))
    Path(args.manifest).parent.mkdir(parents=True, exist_ok=True)
    Path(args.manifest).write_text(json.dumps(result))
    print(f"seeded {result['rows']} in {result['seconds']} s; learners listed in {args.manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
