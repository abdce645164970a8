"""`keelerada content audio`: speak each listen exercise's answer with espeak-ng's Estonian voice and
store it, small and mono, where the exercise points (content/<course>/media/<exercise-id>.ogg); speak each
`recording: synthetic` dialogue turn by turn, each speaker in the Estonian voice variant of the turn's
`voice` (et+f1 ... et+m3), joined by short pauses into one clip.

An author-time tool: the files it makes are committed with the lessons, so neither the API nor the tests
ever need espeak-ng. Each file carries the text it speaks in a Vorbis comment (``spoken=...``); a file
whose text still matches its exercise is left alone (re-encoding would change its sha256 and so make a
new lesson version for nothing), one whose answer was edited since is spoken again. --force remakes all.
A dialogue clip carries its script (`authoring.comprehension.dialogue_script`: voice and text of every
turn), so a changed turn or voice makes it again. A `recording: human` dialogue is never touched, even
with --force: a person's recording cannot be made again by a program.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

from learning_api.authoring.comprehension import dialogue_script
from learning_api.authoring.loader import LineDict, YamlError, load_yaml
from learning_api.authoring.validation import lesson_files, spoken_text

VOICE = ["espeak-ng", "-v", "et", "-s", "140"]
ENCODE = ["-r", "16000", "-c", "1", "-C", "-1"]  # 16 kHz mono Ogg Vorbis, about 23 kbit/s
SPOKEN = "spoken="
PAUSE_SECONDS = 0.6  # between two turns of a dialogue
SPEECH_RATE = 22050  # espeak-ng's wav output, every voice variant alike


def _exercises(path: Path) -> list[LineDict]:
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, YamlError):
        return []  # `content validate` reports it
    exercises = data.get("exercises") if isinstance(data, LineDict) else None
    return [exercise for exercise in exercises or [] if isinstance(exercise, LineDict)]


def listen_exercises(path: Path) -> list[tuple[str, str]]:
    """(audio path relative to the course, text) of each listen exercise of a lesson file."""
    return [
        (exercise["audio"], exercise["answer"])
        for exercise in _exercises(path)
        if exercise.get("type") == "listen"
        and isinstance(exercise.get("audio"), str)
        and isinstance(exercise.get("answer"), str)
    ]


def synthetic_dialogues(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """(audio path relative to the course, [(voice, text) per turn]) of each dialogue of a lesson file
    that is spoken by espeak-ng; human recordings are left out, so nothing here can overwrite one."""
    found = []
    for exercise in _exercises(path):
        turns = exercise.get("turns")
        if (
            exercise.get("type") != "dialogue"
            or exercise.get("recording") != "synthetic"
            or not isinstance(exercise.get("audio"), str)
            or not isinstance(turns, list)
        ):
            continue
        spoken = [
            (turn["voice"], turn["text"].strip())
            for turn in turns
            if isinstance(turn, LineDict)
            and isinstance(turn.get("voice"), str)
            and isinstance(turn.get("text"), str)
        ]
        if spoken and len(spoken) == len(turns):
            found.append((exercise["audio"], spoken))
    return found


def speak(text: str, target: Path) -> None:
    _encode([(VOICE, text)], text, target)


def speak_dialogue(turns: list[tuple[str, str]], target: Path) -> None:
    voices = [(["espeak-ng", "-v", f"et+{voice}", "-s", "140"], text) for voice, text in turns]
    _encode(voices, dialogue_script(turns), target)


def _encode(parts: list[tuple[list[str], str]], tag: str, target: Path) -> None:
    """Each (voice command, text) spoken to a wav, joined with pauses, encoded into ``target`` tagged
    with ``tag`` (what the clip speaks); moved into place only when whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        pause = Path(folder) / "pause.wav"
        wavs: list[str] = []
        for number, (voice, text) in enumerate(parts):
            wav = Path(folder) / f"turn-{number}.wav"
            subprocess.run([*voice, "-w", str(wav), text], check=True, capture_output=True)
            if wavs:
                wavs.append(str(pause))
            wavs.append(str(wav))
        if len(wavs) > 1:
            silence = ["sox", "-n", "-r", str(SPEECH_RATE), "-c", "1", "-b", "16", str(pause)]
            subprocess.run([*silence, "trim", "0", str(PAUSE_SECONDS)], check=True, capture_output=True)
        encoded = Path(folder) / target.name
        comment = ["--comment", SPOKEN + tag]
        subprocess.run(["sox", *wavs, *ENCODE, *comment, str(encoded)], check=True, capture_output=True)
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
    dialogues = [
        (lesson.parent / relative, turns)
        for lesson in lesson_files(paths)
        for relative, turns in synthetic_dialogues(lesson)
        if force or not _speaks_script(lesson.parent / relative, dialogue_script(turns))
    ]
    for target, text in tqdm(jobs, unit="file"):
        speak(text, target)
    for target, turns in tqdm(dialogues, unit="dialogue"):
        speak_dialogue(turns, target)
    print(f"{len(jobs) + len(dialogues)} audio file(s) made")
    return 0


def _speaks_script(target: Path, script: str) -> bool:
    """A script has a line per turn, which soxi's listing would split: read the tag from the file."""
    return target.exists() and spoken_text(target.read_bytes()) == script
