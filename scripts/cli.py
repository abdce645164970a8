"""`keelerada`: the one console command for ops and authors. Each command group lives in its own module
with a ``register(subparsers)`` that adds its sub-commands; this file only assembles them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from learning_api import __version__
from scripts import content_commands, models_commands, ops_commands
from scripts.database_trouble import database_trouble

COMMAND_GROUPS = [ops_commands, content_commands, models_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="keelerada", description=__doc__)
    parser.add_argument("--version", action="version", version=f"keelerada {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except Exception as error:
        if (line := database_trouble(error)) is None:
            raise  # a bug: the traceback is what its report needs
        print(f"keelerada: {line}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
