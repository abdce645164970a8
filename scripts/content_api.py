"""Author mode of `keelerada content upload --api URL`: each lesson goes to the API's
/authoring/lessons with its media and the course's known words; the server validates (against what is
published), compiles and uploads it, so an author needs no database or store credentials."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import httpx
from tqdm import tqdm

from learning_api.authoring.loader import LineDict, YamlError, load_yaml
from learning_api.authoring.validation import KNOWN_WORDS_FILE, lesson_files
from scripts.secret_input import SecretMissing, secret

TIMEOUT_S = 120.0


def _media_paths(text: str) -> set[str]:
    try:
        data, _ = load_yaml(text)
    except YamlError:
        return set()  # the server reports it with its line
    exercises = data.get("exercises") if isinstance(data, LineDict) else None
    return {
        exercise[key]
        for exercise in exercises or []
        if isinstance(exercise, LineDict)
        for key in ("audio", "image")
        if isinstance(exercise.get(key), str)
    }


def _body(path: Path, *, publish: bool) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    course = path.parent
    known = course / KNOWN_WORDS_FILE
    words = (
        [line.partition("#")[0].strip() for line in known.read_text(encoding="utf-8").splitlines()]
        if known.is_file()
        else []
    )
    media = {
        relative: base64.b64encode((course / relative).read_bytes()).decode()
        for relative in sorted(_media_paths(text))
        if (course / relative).is_file()
    }
    return {
        "source": text,
        "filename": path.name,
        "known_words": [w for w in words if w],
        "media": media,
        "publish": publish,
    }


TOKEN_VARIABLE = "KEELERADA_API_TOKEN"


def upload_via_api(api: str, paths: list[Path], *, publish: bool) -> int:
    try:
        token = secret(TOKEN_VARIABLE, "author token (from POST /auth/login)")
    except SecretMissing as exc:
        print(f"author mode needs an author's token: {exc}", file=sys.stderr)
        return 2
    failed = changed = 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=api.rstrip("/"), headers=headers, timeout=TIMEOUT_S) as client:
        for path in tqdm(lesson_files(paths), unit="lesson"):
            response = client.post("/authoring/lessons", json=_body(path, publish=publish))
            if response.status_code == 201:
                changed += response.json()["changed"]
                continue
            failed += 1
            body = response.json() if response.headers.get("content-type", "").endswith("json") else {}
            for problem in body.get("problems", []):
                print(f"{path}:{problem['line']}: {problem['message']}", file=sys.stderr)
            if not body.get("problems"):
                print(
                    f"{path}: {response.status_code} {body.get('detail', response.text[:200])}",
                    file=sys.stderr,
                )
    print(f"{changed} new version(s), {failed} lesson(s) refused")
    return 1 if failed else 0
