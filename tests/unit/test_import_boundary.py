"""What an API worker imports: batch-only and rare-route libraries stay out of the request path, so each
worker stays within its memory budget (issue 14: ≤ 300 MB warm with two workers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# batch jobs only (model fitting, calibration: scipy at all), migrations (alembic: the CLI runs them),
# estnltk's NLP stack (Vabamorf's binding is enough), the password-strength lists (sign-up and password
# changes import them on first use)
KEPT_OUT = ("sklearn", "scipy", "alembic", "nltk", "estnltk", "zxcvbn")

PROBE = """
import json, sys
from learning_api.app import create_app
from learning_api.language import get_morphology, grade, tokenise
create_app()
get_morphology().forms_of("maja")
tokenise("Tere, Kesk-Eesti!")
print(json.dumps(sorted(sys.modules)))
"""


def test_the_app_and_its_language_tools_import_no_batch_libraries() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "KEELERADA_DATABASE_URL": "sqlite+aiosqlite:///:memory:"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "learning_api.study.session" in loaded  # the probe did load the request path
    assert [name for name in KEPT_OUT if name in loaded] == []
