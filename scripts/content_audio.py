"""`keelerada content audio`: speak each listen exercise's answer with espeak-ng's Estonian voice and
store it, small and mono, where the exercise points (content/<course>/media/<exercise-id>.ogg).

An author-time tool: the files it makes are committed with the lessons, so neither the API nor the tests
ever need espeak-ng. Each file carries the text it speaks in a Vorbis comment (``spoken=...``); a file
whose text still matches its exercise is left alone (re-encoding would change its sha256 and so make a
new lesson version for nothing), one whose answer was edited since is spoken again. --force remakes all.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

from learning_api.authoring.loader import LineDict, YamlError, load_yaml
from learning_api.authoring.validation import lesson_files

VOICE = ["espeak-ng", "-v", "et", "-s", "140"]
ENCODE = ["-r", "16000", "-c", "1", "-C", "-1"]  # 16 kHz mono Ogg Vorbis, about 23 kbit/s
SPOKEN = "spoken="


def listen_exercises(path: Path) -> list[tuple[str, str]]:
    """(audio path relative to the course, text) of each listen exercise of a lesson file."""
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, YamlError):
        return []  # `content validate` reports it
    exercises = data.get("exercises") if isinstance(data, LineDict) else None
    return [
        (exercise["audio"], exercise["answer"])
        for exercise in exercises or []
        if isinstance(exercise, LineDict)
        and exercise.get("type") == "listen"
        and isinstance(exercise.get("audio"), str)
        and isinstance(exercise.get("answer"), str)
    ]


def speak(text: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "speech.wav"
        subprocess.run([*VOICE, "-w", str(wav), text], check=True, capture_output=True)
        encoded = Path(folder) / target.name
        comment = ["--comment", SPOKEN + text]
        subprocess.run(["sox", str(wav), *ENCODE, *comment, str(encoded)], check=True, capture_output=True)
        shutil.move(encoded, target)


def speaks(target: Path, text: str) -> bool:
    """Whether an existing file was made from this very text."""
    if not target.exists():
        return False
    comments = subprocess.run(["soxi", "-a", str(target)], capture_output=True, text=True, check=False).stdout
    return SPOKEN + text in comments.splitlines()


def make_missing_audio(paths: list[Path], *, force: bool) -> int:
    missing = [tool for tool in ("espeak-ng", "sox", "soxi") if shutil.which(tool) is None]
    if missing:
        print(f"needs {' and '.join(missing)}: apt-get install espeak-ng sox libsox-fmt-all", file=sys.stderr)
        return 1
    jobs = [
        (lesson.parent / relative, text)
        for lesson in lesson_files(paths)
        for relative, text in listen_exercises(lesson)
        if force or not speaks(lesson.parent / relative, text)
    ]
    for target, text in tqdm(jobs, unit="file"):
        speak(text, target)
    print(f"{len(jobs)} audio file(s) made")
    return 0
