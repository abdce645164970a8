"""A mobile team generates its client from the document: openapi-python-client must take all of it,
with no warning (a warning means a part of the API the client silently lacks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec


def test_openapi_python_client_generates_without_warnings(document: dict[str, Any], tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_bytes(msgspec.json.encode(document))
    tools = Path(sys.executable).parent  # the generator and the ruff it formats with
    generated = subprocess.run(
        [tools / "openapi-python-client", "generate", "--path", spec, "--output-path", tmp_path / "client"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    assert "Warning" not in output and "Error" not in output, output
    models = {path.stem for path in (tmp_path / "client").glob("*/models/*.py")}
    assert {"problem_details", "field_error", "flashcard_shown", "listen_shown", "session_item"} <= models
