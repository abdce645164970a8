"""Passwords: argon2id hashes made and checked off the event loop, and refusal of guessable passwords.

One argon2id hash costs about half a second of CPU on purpose; done on the event loop it would stall every
other request of the worker for that long, so both directions run in a worker thread (argon2-cffi
releases the GIL while it hashes).
"""

from __future__ import annotations

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from learning_api.errors import InvalidInput
from learning_api.i18n import translator

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps the timing of "no such user" and
# "wrong password" alike, so log-in does not reveal which emails are registered.
_DUMMY_HASH = _hasher.hash("not a real password")

# zxcvbn's score 3 means "safely unguessable" (about 10^8 guesses or more): Dropbox's advice for accounts
# worth protecting. Its dictionaries are English, so the words Estonian, Russian and Ukrainian learners
# reach for first are added, together with the person's own e-mail and name.
MIN_STRENGTH = 3
_COMMON_WORDS = ("keelerada", "parool", "salasõna", "salasona", "eesti", "tallinn", "tartu", "пароль")
# zxcvbn's work grows with length and it refuses more than 72 characters; what decides is the start.
_ESTIMATE_CHARS = 72
WEAK_PASSWORD = (
    "This password is too easy to guess: use a longer one, for example three or four unrelated words."
)


def _hash_sync(password: str) -> str:
    return _hasher.hash(password)


def _verify_sync(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hash_sync, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """False for a wrong password and for no account (``password_hash`` None), after the same work."""
    return await anyio.to_thread.run_sync(_verify_sync, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _strength(password: str, personal: tuple[str, ...]) -> int:
    # imported on first use: its frequency lists hold ≈ 12 MB, and only sign-up and password changes
    # need them, so a worker that never serves those never pays for them
    from zxcvbn import zxcvbn

    inputs = [*_COMMON_WORDS, *(p for p in personal if p)]
    return int(zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=inputs)["score"])


async def require_strong(
    password: str, *, personal: tuple[str, ...], lang: str, field: str = "password"
) -> None:
    """Refuse common and guessable passwords (``password``, ``12345678``, the e-mail's own name...),
    saying so in the learner's language; the estimate is CPU work, so it runs off the loop too."""
    if await anyio.to_thread.run_sync(_strength, password, personal) < MIN_STRENGTH:
        raise InvalidInput(translator(lang)(WEAK_PASSWORD), field=field)
