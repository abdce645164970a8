"""Configuration from ``KEELERADA_*`` environment variables.

One frozen object, read once and passed to ``create_app``: tests build their own instead of patching a
global, and every worker behind a load balancer sees the same values.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/keelerada.db"
DEFAULT_OBJECT_STORE_URL = "file://var/objects"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"KEELERADA_{name}", default)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    object_store_url: str = DEFAULT_OBJECT_STORE_URL
    # Signs local presigned media URLs; tokens themselves are random and stored hashed.
    token_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    cors_origins: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = 8000
    # Access tokens live minutes; the refresh token (rotated on every use) keeps the app signed in.
    access_token_ttl_minutes: int = 15
    refresh_token_ttl_days: int = 30
    # A worker keeps a token's lookup this long (`accounts.token_cache`): a log-out or role change made
    # through another worker reaches this one within it; 0 looks every request up.
    auth_cache_seconds: float = 10.0
    login_failures_per_account: int = 5
    login_failures_per_client: int = 20
    login_window_minutes: int = 15
    max_body_bytes: int = 2 * 1024 * 1024
    media_url_ttl_minutes: int = 60
    public_base_url: str = ""
    db_wait_seconds: int = 60
    # Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks); none by default,
    # so a client cannot pick its own address for the per-client log-in limit.
    trusted_proxies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for network in self.trusted_proxies:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as exc:
                message = f"KEELERADA_TRUSTED_PROXIES: {network!r} is no IP address or network"
                raise ValueError(message) from exc

    # The live path serves the parameters the batch jobs promoted (`keelerada models ...`), checking for a
    # new version at most this often; off, it serves the defaults (the app before fitting).
    params_refresh_seconds: float = 30.0
    use_fitted_params: bool = True

    @property
    def media_url_ttl(self) -> timedelta:
        """How long a presigned URL (a lesson's media, a learner's recording) stays good: every place
        that hands one out reads it here."""
        return timedelta(minutes=self.media_url_ttl_minutes)

    @classmethod
    def from_env(cls) -> Settings:
        base = cls()
        return cls(
            database_url=_env("DATABASE_URL", base.database_url),
            object_store_url=_env("OBJECT_STORE_URL", base.object_store_url),
            token_secret=_env("TOKEN_SECRET", base.token_secret),
            cors_origins=_split(_env("CORS_ORIGINS", "")),
            host=_env("HOST", base.host),
            port=int(_env("PORT", str(base.port))),
            access_token_ttl_minutes=int(
                _env("ACCESS_TOKEN_TTL_MINUTES", str(base.access_token_ttl_minutes))
            ),
            refresh_token_ttl_days=int(_env("REFRESH_TOKEN_TTL_DAYS", str(base.refresh_token_ttl_days))),
            auth_cache_seconds=float(_env("AUTH_CACHE_SECONDS", str(base.auth_cache_seconds))),
            login_failures_per_account=int(
                _env("LOGIN_FAILURES_PER_ACCOUNT", str(base.login_failures_per_account))
            ),
            login_failures_per_client=int(
                _env("LOGIN_FAILURES_PER_CLIENT", str(base.login_failures_per_client))
            ),
            login_window_minutes=int(_env("LOGIN_WINDOW_MINUTES", str(base.login_window_minutes))),
            max_body_bytes=int(_env("MAX_BODY_BYTES", str(base.max_body_bytes))),
            media_url_ttl_minutes=int(_env("MEDIA_URL_TTL_MINUTES", str(base.media_url_ttl_minutes))),
            public_base_url=_env("PUBLIC_BASE_URL", base.public_base_url),
            db_wait_seconds=int(_env("DB_WAIT_SECONDS", str(base.db_wait_seconds))),
            trusted_proxies=_split(_env("TRUSTED_PROXIES", "")),
            params_refresh_seconds=float(_env("PARAMS_REFRESH_SECONDS", str(base.params_refresh_seconds))),
            use_fitted_params=_env("USE_FITTED_PARAMS", "1").lower() not in ("0", "false", "no", "off"),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
