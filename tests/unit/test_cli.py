"""The `keelerada` command as a newcomer meets it: a version, help on every command, and secrets that are
read from the environment or a prompt, never from the command line."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from learning_api import __version__
from scripts.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """In a child process: settings are read once per process, and stdin is not a terminal there."""
    return subprocess.run(
        [sys.executable, "-m", "scripts.cli", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"keelerada {__version__}"


def _subcommands(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> dict[str, tuple[str, argparse.ArgumentParser]]:
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found[prefix + name] = (helps.get(name) or "", sub)
                found |= _subcommands(sub, f"{prefix}{name} ")
    return found


def test_every_command_says_what_it_does() -> None:
    commands = _subcommands(build_parser())
    assert {"migrate", "serve", "create-user", "content publish", "content unpublish"} <= set(commands)
    assert not [name for name, (text, _) in commands.items() if not text.strip()]
    _, unpublish = commands["content unpublish"]
    assert "hide" in unpublish.format_help() and "lesson's id" in unpublish.format_help()


def test_secrets_are_never_arguments() -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["create-user", "a@example.ee", "--password", "x"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit):
        build_parser().parse_args(["content", "upload", "content", "--api", "http://x", "--token", "t"])


def test_create_user_reads_the_password_from_the_environment(tmp_path: Path) -> None:
    env = {
        "KEELERADA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'k.db'}",
        "KEELERADA_OBJECT_STORE_URL": f"file://{tmp_path / 'objects'}",
        "KEELERADA_NEW_USER_PASSWORD": "",
    }
    assert _cli("migrate", env=env).returncode == 0
    refused = _cli("create-user", "mari@example.ee", "--role", "admin", env=env)
    assert refused.returncode == 2 and "KEELERADA_NEW_USER_PASSWORD" in refused.stderr
    made = _cli(
        "create-user",
        "mari@example.ee",
        "--role",
        "admin",
        env={**env, "KEELERADA_NEW_USER_PASSWORD": "Pikk-parool-9"},
    )
    assert made.returncode == 0, made.stderr
    assert "created admin mari@example.ee" in made.stdout


def test_author_upload_reads_the_token_from_the_environment() -> None:
    refused = _cli(
        "content",
        "upload",
        "content/eesti-a1-a2",
        "--api",
        "http://127.0.0.1:9",
        env={"KEELERADA_API_TOKEN": ""},
    )
    assert refused.returncode == 2 and "KEELERADA_API_TOKEN" in refused.stderr
