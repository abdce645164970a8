"""`keelerada content audio` speaks a synthetic dialogue turn by turn in the turns' voices into one tagged
clip that validation then accepts; it leaves a clip that still speaks its turns alone, makes it again
when a turn changes, and never touches a human recording. Needs espeak-ng and sox (the author's tools)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from learning_api.authoring.comprehension import dialogue_script
from learning_api.authoring.validation import spoken_text, validate_paths
from scripts.content_audio import make_missing_audio, synthetic_dialogues
from tests.unit.authoring.exam_fixture import EXAM_LESSON, write_exam_course

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("espeak-ng", "sox", "soxi")), reason="needs espeak-ng and sox"
)


def test_a_synthetic_dialogue_is_spoken_in_its_voices_and_tagged_with_its_turns(tmp_path: Path) -> None:
    path = write_exam_course(tmp_path, audio=None)
    clip = path.parent / "media" / "a2-01-kohvik-d1.ogg"
    ((relative, turns),) = synthetic_dialogues(path)
    assert relative == "media/a2-01-kohvik-d1.ogg" and [voice for voice, _ in turns] == ["f1", "m1"] * 2 + [
        "f1"
    ]
    assert make_missing_audio([path.parent], force=False) == 0
    made = clip.read_bytes()
    assert made.startswith(b"OggS") and spoken_text(made) == dialogue_script(turns)
    assert validate_paths([path]).ok
    assert make_missing_audio([path.parent], force=False) == 0 and clip.read_bytes() == made  # unchanged

    edited = EXAM_LESSON.replace('voice: m1, text: "Jah', 'voice: m1, text: "Jaa')
    path.write_text(edited.replace("Jah, natuke", "Jaa, natuke"), encoding="utf-8")
    assert [p.message for p in validate_paths([path]).problems] == [
        "'media/a2-01-kohvik-d1.ogg' does not speak the dialogue's turns: run `keelerada content audio`"
    ]
    make_missing_audio([path.parent], force=False)
    assert clip.read_bytes() != made and validate_paths([path]).ok


def test_a_human_recording_is_never_overwritten(tmp_path: Path) -> None:
    human = EXAM_LESSON.replace("recording: synthetic", "recording: human")
    path = write_exam_course(tmp_path, human, audio=b"OggS a person speaking")
    assert synthetic_dialogues(path) == []
    assert make_missing_audio([path.parent], force=True) == 0
    assert (path.parent / "media" / "a2-01-kohvik-d1.ogg").read_bytes() == b"OggS a person speaking"
