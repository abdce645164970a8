"""Ops commands: apply migrations, serve the API, create users with a role (the first admin)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from learning_api.settings import Settings, get_settings
from scripts.secret_input import SecretMissing, secret

PASSWORD_VARIABLE = "KEELERADA_NEW_USER_PASSWORD"


def _prepare_local_paths(database_url: str, store_url: str) -> None:
    """The embedded default keeps everything under var/: make the folders so a fresh clone just runs."""
    if database_url.startswith("sqlite") and ":///" in database_url:
        path = database_url.split(":///", 1)[1]
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if store_url.startswith("file://"):
        os.makedirs(store_url.removeprefix("file://"), exist_ok=True)


def migrate(_: argparse.Namespace) -> int:
    from learning_api.db.migrate import upgrade

    settings = get_settings()
    _prepare_local_paths(settings.database_url, settings.object_store_url)
    upgrade(settings.database_url)
    print(f"database migrated: {settings.database_url.split('@')[-1]}")
    return 0


async def _database_ready(settings: Settings) -> None:
    """Wait for the database (it may start after us: compose, a reboot), then insist on its schema."""
    from learning_api.db.availability import wait_for_database
    from learning_api.db.migrate import ensure_migrated
    from learning_api.db.session import make_engine

    engine = make_engine(settings.database_url)
    try:
        await wait_for_database(engine, settings.db_wait_seconds, lambda line: print(f"keelerada: {line}"))
        await ensure_migrated(engine)
    finally:
        await engine.dispose()


def serve(args: argparse.Namespace) -> int:
    settings = get_settings()
    _prepare_local_paths(settings.database_url, settings.object_store_url)
    asyncio.run(_database_ready(settings))  # a failure is one line (scripts/database_trouble.py)

    from scripts import serving  # the app (heavy: language models) is loaded only once the database is there

    serving.run(
        "learning_api.app:create_app",
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        access_log=not args.no_access_log,
    )
    return 0


def create_user(args: argparse.Namespace) -> int:
    from learning_api.accounts import service
    from learning_api.db.session import make_engine, make_sessionmaker

    try:
        password = secret(PASSWORD_VARIABLE, "password", confirm=True)
    except SecretMissing as exc:
        print(f"create-user: {exc}", file=sys.stderr)
        return 2

    async def run() -> None:
        engine = make_engine(get_settings().database_url)
        async with make_sessionmaker(engine)() as session, session.begin():
            user = await service.register(session, email=args.email, password=password, role=args.role)
            print(f"created {user.role} {user.email} ({user.id})")
        await engine.dispose()

    asyncio.run(run())
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("migrate", help="apply database migrations (Alembic) up to the newest")
    p.set_defaults(handler=migrate)

    p = subparsers.add_parser("serve", help="run the API (uvicorn)")
    p.add_argument("--host", default=None, help="default: KEELERADA_HOST or 127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: KEELERADA_PORT or 8000")
    p.add_argument(
        "--workers", type=int, default=1, help="worker processes (set KEELERADA_TOKEN_SECRET when > 1)"
    )
    p.add_argument("--no-access-log", action="store_true", help="no line per request (load tests)")
    p.set_defaults(handler=serve)

    p = subparsers.add_parser(
        "create-user",
        help="create an account with a role (e.g. the first admin)",
        description=f"The password is read from ${PASSWORD_VARIABLE}, else asked for (never an argument).",
    )
    p.add_argument("email")
    p.add_argument("--role", choices=["learner", "teacher", "author", "admin"], default="learner")
    p.set_defaults(handler=create_user)
