"""Author commands: `keelerada content validate|upload|publish|unpublish|list|stats|audio`.

Ops mode (the default) works on the database and object store from the KEELERADA_* settings; author mode
(`upload --api URL`) sends each lesson to the API's /authoring routes with an author's token, read from
$KEELERADA_API_TOKEN or asked for.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from learning_api.settings import get_settings
from scripts.ops_commands import _prepare_local_paths


@asynccontextmanager
async def _ops() -> AsyncIterator[tuple[Any, Any]]:
    """The DB sessionmaker and the object store, as the API itself opens them."""
    from learning_api.db.migrate import ensure_migrated
    from learning_api.db.session import make_engine, make_sessionmaker
    from learning_api.storage import open_store

    settings = get_settings()
    _prepare_local_paths(settings.database_url, settings.object_store_url)
    engine = make_engine(settings.database_url)
    try:
        await ensure_migrated(engine)
        store = open_store(settings.object_store_url, signing_secret=settings.token_secret)
        store.ensure_bucket()
        yield make_sessionmaker(engine), store
    finally:
        await engine.dispose()


def _run(coroutine: Callable[[], Coroutine[Any, Any, int]]) -> int:
    return asyncio.run(coroutine())


def _print_problems(report: Any) -> int:
    for problem in sorted([*report.problems, *report.warnings]):
        print(problem, file=sys.stderr)
    lessons = len(report.lessons)
    if report.problems:
        print(f"{len(report.problems)} problem(s) in {lessons} lesson(s)", file=sys.stderr)
        return 1
    return 0


def validate(args: argparse.Namespace) -> int:
    from learning_api.authoring.batch import validate_against_db
    from learning_api.authoring.validation import validate_paths

    if args.against_db:

        async def run() -> int:
            async with _ops() as (sessionmaker, _):
                return _print_problems(await validate_against_db(sessionmaker, args.paths, args.today))

        return _run(run)
    report = validate_paths(args.paths, today=args.today)
    status = _print_problems(report)
    if not status:
        warned = f", {len(report.warnings)} warning(s)" if report.warnings else ""
        print(f"{len(report.lessons)} lesson(s): no problems{warned}")
    return status


def upload(args: argparse.Namespace) -> int:
    if args.api:
        from scripts.content_api import upload_via_api

        return upload_via_api(args.api, args.paths, publish=args.publish)
    from tqdm import tqdm

    from learning_api.authoring.batch import upload_paths
    from learning_api.authoring.validation import lesson_files

    async def run() -> int:
        async with _ops() as (sessionmaker, store):
            with tqdm(total=len(lesson_files(args.paths)), unit="lesson", disable=args.quiet) as bar:
                report, outcomes = await upload_paths(
                    sessionmaker,
                    store,
                    args.paths,
                    publish=args.publish,
                    author="ops",
                    on_lesson=lambda _: bar.update(),
                )
        if _print_problems(report):
            return 1
        changed = sum(o.changed for o in outcomes)
        print(
            f"{len(outcomes)} lesson(s): {changed} new version(s), {len(outcomes) - changed} unchanged, "
            f"{sum(o.media_uploaded for o in outcomes)} media file(s) uploaded"
            + (f", {sum(o.published for o in outcomes)} published" if args.publish else "")
        )
        return 0

    return _run(run)


def publish(args: argparse.Namespace) -> int:
    from learning_api.authoring.publishing import publish_version, unpublish

    async def run() -> int:
        async with _ops() as (sessionmaker, store), sessionmaker() as session, session.begin():
            if args.unpublish:
                lesson = await unpublish(session, args.lesson_id)
            else:
                lesson = await publish_version(session, store, args.lesson_id, args.version)
        print(f"{lesson.id}: published version {lesson.published_version or 'none'}")
        return 0

    return _run(run)


def list_lessons(args: argparse.Namespace) -> int:
    from learning_api.authoring.service import list_lessons as rows

    async def run() -> int:
        async with _ops() as (sessionmaker, _), sessionmaker() as session:
            lessons = await rows(session)
        if args.json:
            print(
                json.dumps(
                    [{f: getattr(o, f) for f in o.__struct_fields__} for o in lessons], ensure_ascii=False
                )
            )
        for lesson in lessons if not args.json else []:
            published = lesson.published_version or "-"
            print(
                f"{lesson.id:40} {lesson.level}  published {published!s:>3}  latest {lesson.latest_version}"
            )
        return 0

    return _run(run)


def stats(args: argparse.Namespace) -> int:
    from learning_api.authoring.batch import course_stats
    from learning_api.authoring.validation import validate_paths

    if args.items:
        return _run(lambda: _item_stats(args))
    if not args.paths:
        print("keelerada content stats: give lesson files or course folders, or --items", file=sys.stderr)
        return 2
    numbers = course_stats(validate_paths(args.paths))
    if args.json:
        print(json.dumps(numbers, ensure_ascii=False))
    else:
        for key, value in numbers.items():
            print(f"{key:18} {value}")
    return 0


async def _item_stats(args: argparse.Namespace) -> int:
    """Per-item statistics from the database, for the lessons named or every lesson; flagged items first."""
    from learning_api.authoring.item_stats import lesson_item_stats
    from learning_api.authoring.service import list_lessons as rows

    async with _ops() as (sessionmaker, _), sessionmaker() as session:
        lessons = args.lesson or [lesson.id for lesson in await rows(session)]
        items = [item for lesson_id in lessons for item in await lesson_item_stats(session, lesson_id)]
    items.sort(key=lambda i: (not i.flags, i.lesson_id, i.item_id))
    if args.json:
        print(
            json.dumps([{f: getattr(i, f) for f in i.__struct_fields__} for i in items], ensure_ascii=False)
        )
        return 0
    print(f"{'item':40} {'tries':>6} {'1st right':>9} {'right':>6} {'median s':>8} {'a':>5} {'b':>6}  flags")
    for i in items:
        first = "-" if i.first_attempt_right is None else f"{i.first_attempt_right:.2f}"
        right = "-" if i.share_right is None else f"{i.share_right:.2f}"
        secs = "-" if i.median_latency_ms is None else f"{i.median_latency_ms / 1000:.1f}"
        numbers = f"{i.attempts:>6} {first:>9} {right:>6} {secs:>8} {i.irt_a:>5.2f} {i.irt_b:>6.2f}"
        print(f"{i.item_id:40} {numbers}  {', '.join(i.flags)}")
    return 0


def audio(args: argparse.Namespace) -> int:
    from scripts.content_audio import make_missing_audio

    return make_missing_audio(args.paths, force=args.force)


PUBLISH_HELP = {
    "publish": "serve a version of a lesson to learners: the latest by default, or --version N (an older "
    "version rolls back to it)",
    "unpublish": "hide a lesson from learners: its versions and learners' answers are kept, `publish` shows "
    "it again; its items leave study sessions and answers to them are refused",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    content = subparsers.add_parser("content", help="author commands: validate, upload and publish lessons")
    commands = content.add_subparsers(dest="content_command", required=True)

    def paths(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="lesson files or course folders")

    p = commands.add_parser("validate", help="check lessons; every problem as file:line: message")
    paths(p)
    p.add_argument("--against-db", action="store_true", help="also check ids against what was published")
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        default=datetime.now(UTC).date(),
        help="the date facts_checked is measured from (YYYY-MM-DD; default: today)",
    )
    p.set_defaults(handler=validate)

    p = commands.add_parser("upload", help="upload new lesson versions (unchanged lessons are skipped)")
    paths(p)
    p.add_argument("--publish", action="store_true", help="also serve the uploaded versions")
    p.add_argument(
        "--api",
        default=None,
        help="author mode: the API's base URL (else: DB and store directly); an author's token is read "
        "from $KEELERADA_API_TOKEN, else asked for",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=upload)

    for name, unpublishing in (("publish", False), ("unpublish", True)):
        what = PUBLISH_HELP[name]
        p = commands.add_parser(name, help=what, description=what)
        p.add_argument("lesson_id", help="the lesson's id, as in its file name (e.g. a1-01-tere)")
        if not unpublishing:
            p.add_argument("--version", type=int, default=None, help="an older version rolls back to it")
        p.set_defaults(handler=publish, unpublish=unpublishing, version=None)

    p = commands.add_parser("list", help="lessons in the database with their published and latest version")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_lessons)

    p = commands.add_parser(
        "stats", help="counts over lesson files (lessons, lemmas, exercises, levels), or --items from the DB"
    )
    p.add_argument("paths", nargs="*", type=Path, help="lesson files or course folders")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument(
        "--items",
        action="store_true",
        help="per-item statistics from the database (attempts, share right, ...)",
    )
    p.add_argument(
        "--lesson", action="append", default=[], help="with --items: only this lesson (repeatable)"
    )
    p.set_defaults(handler=stats)

    p = commands.add_parser("audio", help="make missing listen audio with espeak-ng (author machine only)")
    paths(p)
    p.add_argument("--force", action="store_true", help="remake existing files too")
    p.set_defaults(handler=audio)
