"""The deployment files stay deployable: compose resolves only with every secret given and wires the
one-shot jobs before the API; the lock pins every dependency (tests/unit/test_settings.py keeps the
README and .env.example naming every setting). The compose checks need Debian's `docker-compose` (CI
installs it) and skip without it."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from scripts.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
SECRETS = (
    "POSTGRES_PASSWORD",
    "MINIO_ROOT_USER",
    "MINIO_ROOT_PASSWORD",
    "MINIO_PUBLIC_URL",
    "KEELERADA_TOKEN_SECRET",
)
FILLED = {name: f"x{n}-secret" for n, name in enumerate(SECRETS)} | {
    "MINIO_PUBLIC_URL": "https://media.example.org"
}


def _compose_config(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose; CI installs it)")
    env_file = tmp_path / "compose.env"  # never the developer's own .env
    env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    return subprocess.run(
        [binary, "--env-file", str(env_file), "-f", str(ROOT / "docker-compose.yml"), "config"],
        cwd=tmp_path, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_compose_resolves_with_every_secret_and_wires_jobs_before_the_api(tmp_path: Path) -> None:
    done = _compose_config(FILLED, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "change-me" not in done.stdout
    services = yaml.safe_load(done.stdout)["services"]
    for name, service in services.items():
        image = service.get("image", "")
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin the image tag ({image!r})"
    api = services["api"]
    assert "migrate" not in api["command"] and "upload" not in api["command"]
    assert int(api["command"][api["command"].index("--workers") + 1]) >= 2  # several workers
    assert api["depends_on"]["load-content"]["condition"] == "service_completed_successfully"
    assert services["load-content"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["keelerada", "migrate"]
    for name in ("migrate", "load-content", "api"):  # each command is one the image's CLI accepts
        command = services[name]["command"]
        assert command[0] == "keelerada"
        build_parser().parse_args(command[1:])
    store_url = api["environment"]["KEELERADA_OBJECT_STORE_URL"]
    assert store_url.endswith("public_url=https://media.example.org")  # presigned URLs clients can reach


@pytest.mark.parametrize("missing", SECRETS)
def test_compose_refuses_to_run_without_a_secret(missing: str, tmp_path: Path) -> None:
    done = _compose_config({k: v for k, v in FILLED.items() if k != missing}, tmp_path)
    assert done.returncode != 0 and missing in done.stderr


def test_env_example_needs_filling_in_and_then_resolves(tmp_path: Path) -> None:
    example = (ROOT / ".env.example").read_text()
    assert _compose_config({}, tmp_path).returncode != 0  # as shipped: the secrets are empty
    filled = {line.split("=", 1)[0]: FILLED.get(line.split("=", 1)[0], "") for line in example.splitlines()
              if line and not line.startswith("#")}  # fmt: skip
    assert set(filled) == set(SECRETS)
    assert _compose_config(filled, tmp_path).returncode == 0


def test_the_lock_pins_every_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, _, version = line.split(" ")[0].partition("==")
            pinned[name.lower().replace("_", "-")] = version
    for text in project["dependencies"]:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in pinned, f"{name} is not in requirements.lock: regenerate it (CONTRIBUTING.md)"
        assert requirement.specifier.contains(pinned[name], prereleases=True), f"{name}=={pinned[name]}"
