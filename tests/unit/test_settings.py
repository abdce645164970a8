"""Settings, the README's configuration table and docker-compose stay in step."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

from learning_api.settings import Settings
from scripts.content_api import TOKEN_VARIABLE
from scripts.ops_commands import PASSWORD_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = {f"KEELERADA_{f.name.upper()}" for f in dataclasses.fields(Settings)}
CLI_SECRETS = {PASSWORD_VARIABLE, TOKEN_VARIABLE}  # read by single commands, not settings of the API


def test_every_setting_is_read_from_its_environment_variable(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KEELERADA_DATABASE_URL", "postgresql+asyncpg://u@h/db")
    monkeypatch.setenv("KEELERADA_CORS_ORIGINS", "https://a.ee, https://b.ee")
    monkeypatch.setenv("KEELERADA_PORT", "9001")
    monkeypatch.setenv("KEELERADA_LOGIN_FAILURES_PER_ACCOUNT", "3")
    settings = Settings.from_env()
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert settings.cors_origins == ("https://a.ee", "https://b.ee")
    assert settings.port == 9001 and settings.login_failures_per_account == 3


def test_readme_documents_every_variable_and_no_other() -> None:
    readme = (ROOT / "README.md").read_text()
    test_knobs = {"KEELERADA_TEST_PG", "KEELERADA_CONTRACT_EXAMPLES"}  # for test runs, not app settings
    documented = set(re.findall(r"`(KEELERADA_[A-Z_]+)`", readme)) - test_knobs
    assert documented == VARIABLES | CLI_SECRETS


def test_env_example_names_every_variable_and_no_other() -> None:
    example = (ROOT / ".env.example").read_text()
    assert set(re.findall(r"\b(KEELERADA_[A-Z_]+)=", example)) == VARIABLES | CLI_SECRETS


def test_compose_sets_only_known_variables_and_the_essential_ones() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["services"]["api"]["environment"]
    assert set(env) <= VARIABLES
    assert {"KEELERADA_DATABASE_URL", "KEELERADA_OBJECT_STORE_URL", "KEELERADA_TOKEN_SECRET"} <= set(env)
    assert env["KEELERADA_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert env["KEELERADA_OBJECT_STORE_URL"].startswith("s3://")
    assert {"postgres", "minio", "api"} <= set(compose["services"])
    for name in ("postgres", "minio", "api"):
        assert "healthcheck" in compose["services"][name], name
