"""Course upload time: the whole starter course into a fresh SQLite database and object store, then the
same upload again (every lesson unchanged, so nothing is written), as a ratio.

    .venv/bin/python scripts/bench/content_upload.py [content/eesti-a1-a2] [--store-url s3://...]

Default store: a temporary folder. The baseline is validation alone (the floor any upload pays), run in
the same process after Vabamorf and spaCy are warm. Printed: seconds for validate, first upload and
re-upload, and each upload's ratio to validation.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from learning_api.authoring.batch import upload_paths
from learning_api.authoring.validation import validate_paths
from learning_api.db.migrate import upgrade
from learning_api.db.session import make_engine, make_sessionmaker
from learning_api.storage import open_store


def _migrate(url: str) -> None:
    worker = threading.Thread(target=upgrade, args=(url,))  # Alembic runs its own event loop
    worker.start()
    worker.join()


async def _uploads(course: Path, store_url: str, folder: Path) -> tuple[float, float, int]:
    url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    _migrate(url)
    engine = make_engine(url)
    store = open_store(store_url)
    store.ensure_bucket()
    sessions = make_sessionmaker(engine)
    try:
        started = time.perf_counter()
        report, outcomes = await upload_paths(sessions, store, [course], publish=True)
        first = time.perf_counter() - started
        if not report.ok:
            raise SystemExit(f"{len(report.problems)} problem(s): run `keelerada content validate`")
        started = time.perf_counter()
        _, again = await upload_paths(sessions, store, [course], publish=True)
        second = time.perf_counter() - started
        if any(outcome.changed for outcome in again):
            raise SystemExit("a lesson changed between the two uploads: run again")
        return first, second, len(outcomes)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", type=Path, default=Path("content/eesti-a1-a2"))
    parser.add_argument("--store-url", default=None, help="default: a temporary folder store")
    args = parser.parse_args()
    validate_paths([args.course])  # warm Vabamorf, spaCy and the file cache
    started = time.perf_counter()
    validate_paths([args.course])
    baseline = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        store_url = args.store_url or f"file://{Path(folder) / 'objects'}"
        first, second, lessons = asyncio.run(_uploads(args.course, store_url, Path(folder)))
    print(f"lessons             {lessons}")
    print(f"validate (baseline) {baseline:6.2f} s")
    print(f"first upload        {first:6.2f} s   {first / baseline:5.1f}x validate")
    print(f"re-upload (no-op)   {second:6.2f} s   {second / baseline:5.1f}x validate")


if __name__ == "__main__":
    main()
