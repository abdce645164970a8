"""The CLI against a database that is not there or not migrated: one line that says what to do (naming
`keelerada migrate` when that is the cure), exit code 1, no traceback; `serve` waits before giving up."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from learning_api.settings import get_settings
from scripts.cli import main


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    def use(database_url: str, **more: str) -> None:
        monkeypatch.setenv("KEELERADA_DATABASE_URL", database_url)
        monkeypatch.setenv("KEELERADA_OBJECT_STORE_URL", f"file://{tmp_path / 'objects'}")
        for name, value in more.items():
            monkeypatch.setenv(f"KEELERADA_{name}", value)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.mark.parametrize(
    "argv",
    [["create-user", "ops@example.ee"], ["content", "list"], ["serve"]],
)
def test_an_unmigrated_database_is_one_line_naming_migrate(env, tmp_path: Path, capsys, argv) -> None:  # type: ignore[no-untyped-def]
    env(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", NEW_USER_PASSWORD="Pikk-parool-2026")
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "keelerada migrate" in err[0] and "Traceback" not in err[0], err


def test_serve_waits_for_an_unreachable_database_then_gives_up_in_one_line(env, capsys) -> None:  # type: ignore[no-untyped-def]
    env(f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/keelerada", DB_WAIT_SECONDS="2")
    assert main(["serve"]) == 1
    out, err = capsys.readouterr()
    waiting = out.strip().splitlines()
    assert len(waiting) == 1 and "retrying for up to 2 s" in waiting[0], out
    assert len(err.strip().splitlines()) == 1 and "database not reachable" in err, err
