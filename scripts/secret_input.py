"""Passwords and tokens for the CLI come from an environment variable or a prompt, never from the command
line: arguments are visible to every user of the machine (``ps``) and stay in shell history."""

from __future__ import annotations

import getpass
import os
import sys


class SecretMissing(Exception):
    """No variable and no terminal to ask on; the message names the variable to set."""


def secret(variable: str, prompt: str, *, confirm: bool = False) -> str:
    """``$variable`` when set, else asked for on the terminal (twice when ``confirm``)."""
    if value := os.environ.get(variable):
        return value
    if not sys.stdin.isatty():
        raise SecretMissing(f"set {variable} (or run this in a terminal to be asked for it)")
    value = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} again: ") != value:
        raise SecretMissing("the two entries differ")
    if not value:
        raise SecretMissing(f"an empty {prompt} is not allowed")
    return value
