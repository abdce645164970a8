"""The comprehension types (`reading`, `dialogue`): every break of the exam lesson gives exactly the
expected ``file:line: message`` problems, all in one run; compiling makes one item per question that
shares one stored passage."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning_api.authoring.compile import compile_lesson, course_vocabulary
from learning_api.authoring.comprehension import dialogue_script
from learning_api.authoring.validation import validate_paths
from learning_api.catalog.documents import decode_lesson, encode_lesson
from tests.unit.authoring.exam_fixture import AUDIO, EXAM_LESSON, write_exam_course

# (what is broken, text replaced, replacement, the expected "line: message" problems)
BROKEN: list[tuple[str, str, str, list[str]]] = [
    ("unknown genre", "genre: ad", "genre: poem", [
        "26: 'genre' must be one of ad, notice, email, letter, article, story, form, web-page, not 'poem'"]),
    ("unknown word on its own line of the text", "koristab laudu.", "koristab lqudu.", [
        "31: unknown Estonian word 'lqudu': fix the spelling or list it in known_words.txt"]),
    ("unknown question kind", "kind: short\n        prompt: Kellele",
     "kind: essay\n        prompt: Kellele", [
        "54: 'kind' must be one of choice, true-false, match, short, not 'essay'"]),
    ("question id twice", "      - id: q2\n        kind: true-false\n        statement: Töö",
     "      - id: q1\n        kind: true-false\n        statement: Töö", [
        "42: question id 'q1' is already used at line 37"]),
    ("choice answer not an option", "answer: teenindajat", "answer: kelnerit", [
        "41: the answer 'kelnerit' is not one of the options"]),
    ("true-false answer", "answer: false", "answer: vale", [
        "45: a true-false answer is one of true, false, not-given, not 'vale'"]),
    ("a right twice", "[pühapäeval, suletud]", "[pühapäeval, kella kümnest kolmeni]", [
        "52: the right 'kella kümnest kolmeni' is already in the pair at line 51: pairs are distinct"]),
    ("a pair of one", "[pühapäeval, suletud]", "[pühapäeval]", ["52: a pair is two texts: [left, right]"]),
    ("a key of another kind", "statement: Töö on ainult õhtul.", "prompt: Töö on ainult õhtul.", [
        "42: a true-false question needs 'statement'", "44: unknown key 'prompt' in a true-false question"]),
    ("too few questions",
     "      - id: q3\n        kind: short\n        prompt: Mis kell peab Ivan homme tulema?\n"
     "        answer: kell kümme\n        accept: [kümnest]\n", "", [
        "68: a dialogue exercise needs 3 to 6 questions"]),
    ("a speaker changes voice", "{speaker: Kadri, voice: f1, text: \"Väga",
     "{speaker: Kadri, voice: f2, text: \"Väga", [
        "65: Kadri speaks in voice f1 at line 63: a speaker keeps one voice"]),
    ("two speakers, one voice", "{speaker: Ivan, voice: m1, text: \"Tere!",
     "{speaker: Ivan, voice: f1, text: \"Tere!", [
        "64: Kadri already speaks in voice f1: one voice, one speaker",
        "66: Ivan speaks in voice f1 at line 64: a speaker keeps one voice"]),
    ("unknown voice", "voice: m1, text: \"Jah", "voice: m7, text: \"Jah", [
        "66: 'voice' must be one of f1, f2, f3, m1, m2, m3, not 'm7'"]),
    ("recording neither", "recording: synthetic", "recording: studio", [
        "60: 'recording' must be one of synthetic, human, not 'studio'"]),
    ("question item id taken by an exercise", "  - id: a2-01-kohvik-d1\n", "  - id: a2-01-kohvik-r1-q1\n", [
        "57: exercise id 'a2-01-kohvik-r1-q1' is already used at {path}:37"]),
]  # fmt: skip


def problems(path: Path) -> list[str]:
    return [f"{p.line}: {p.message}".replace(str(path), "{path}") for p in validate_paths([path]).problems]


def test_the_exam_lesson_has_no_problems_and_no_warnings(tmp_path: Path) -> None:
    report = validate_paths([write_exam_course(tmp_path)])
    assert report.problems == [] and report.warnings == []


@pytest.mark.parametrize(("case", "old", "new", "expected"), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_exam_lesson(tmp_path: Path, case: str, old: str, new: str, expected: list[str]) -> None:
    assert EXAM_LESSON.count(old) == 1, case
    path = write_exam_course(tmp_path, EXAM_LESSON.replace(old, new))
    assert problems(path) == expected


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    lesson = EXAM_LESSON
    for _, old, new, _ in (BROKEN[0], BROKEN[4], BROKEN[10]):
        lesson = lesson.replace(old, new)
    assert [p.split(":")[0] for p in problems(write_exam_course(tmp_path, lesson))] == ["26", "41", "65"]


def test_a_reading_text_outside_the_levels_length_is_a_warning(tmp_path: Path) -> None:
    head, tail = EXAM_LESSON.split("      Me ootame inimest")[0], EXAM_LESSON.split("    questions:", 1)[1]
    short = head + "    questions:" + tail
    report = validate_paths([write_exam_course(tmp_path, short)])
    assert report.ok
    assert [f"{w.line}: {w.message}" for w in report.warnings] == [
        "28: warning: the text has 37 words; a reading text at A2 has 80 to 150"
    ]


def _tagged(script: str) -> bytes:
    comment = b"spoken=" + script.encode()
    return b"OggS\x00vorbis" + len(comment).to_bytes(4, "little") + comment


def test_a_synthetic_clip_must_speak_the_turns_and_a_human_one_is_not_asked(tmp_path: Path) -> None:
    turns = [("f1", "Tere, kohvik Mari, Kadri kuuleb.")]
    path = write_exam_course(tmp_path, audio=_tagged(dialogue_script(turns)))
    assert problems(path) == [
        "61: 'media/a2-01-kohvik-d1.ogg' does not speak the dialogue's turns: run `keelerada content audio`"
    ]
    human = EXAM_LESSON.replace("recording: synthetic", "recording: human")
    assert problems(write_exam_course(tmp_path, human, audio=_tagged(dialogue_script(turns)))) == []


def test_the_dialogue_clip_must_exist(tmp_path: Path) -> None:
    assert problems(write_exam_course(tmp_path, audio=None)) == [
        "61: media file 'media/a2-01-kohvik-d1.ogg' is missing"
    ]


def test_each_question_compiles_to_an_item_sharing_one_stored_passage(tmp_path: Path) -> None:
    path = write_exam_course(tmp_path)
    report = validate_paths([path])
    (lesson,) = report.lessons
    compiled = compile_lesson(
        lesson, lambda rel: (path.parent / rel).read_bytes(), course_vocabulary(report.lessons)
    )
    document = compiled.document
    by_id = {exercise.id.removeprefix("a2-01-kohvik-"): exercise for exercise in document.exercises}
    assert list(by_id) == ["r1-q1", "r1-q2", "r1-q3", "r1-q4", "d1-q1", "d1-q2", "d1-q3"]
    assert [(e.type, e.skill, e.kind) for e in by_id.values()][:5] == [
        ("reading", "reading", "choice"), ("reading", "reading", "true-false"),
        ("reading", "reading", "match"), ("reading", "reading", "short"), ("dialogue", "listening", "choice"),
    ]  # fmt: skip
    assert by_id["r1-q2"].answers == ["false"] and by_id["d1-q2"].answers == ["not-given"]
    assert by_id["r1-q3"].lefts == ["esmaspäeval", "laupäeval", "pühapäeval"]
    assert by_id["r1-q3"].answers == ["kella kaheksast viieni\nkella kümnest kolmeni\nsuletud"]
    assert by_id["d1-q3"].answers == ["kell kümme", "kümnest"]
    reading, dialogue = document.passages
    assert reading.questions == [f"a2-01-kohvik-r1-q{n}" for n in (1, 2, 3, 4)]
    assert reading.text is not None and reading.text.startswith("Kohvik Mari otsib") and reading.genre == "ad"
    (clip,) = compiled.media.values()
    assert dialogue.audio == clip.key and clip.data == AUDIO and dialogue.recording == "synthetic"
    assert [(t.speaker, t.voice) for t in dialogue.turns or []][:2] == [("Kadri", "f1"), ("Ivan", "m1")]
    stored = encode_lesson(document)
    assert stored.count(b"Kohvik Mari otsib") == 1  # the text is stored once, not once per question
    again = decode_lesson(stored)
    assert again.exercises[0].passage is again.exercises[3].passage is again.passages[0]
    assert again.source_sha256 == document.source_sha256


def test_an_illustration_of_a_text_is_shown_with_each_of_its_questions(tmp_path: Path) -> None:
    lesson = EXAM_LESSON.replace("    genre: ad\n", "    genre: ad\n    image: media/kuulutus.png\n")
    path = write_exam_course(tmp_path, lesson)
    (path.parent / "media" / "kuulutus.png").write_bytes(b"\x89PNG a picture")
    report = validate_paths([path])
    assert report.ok, report.problems
    compiled = compile_lesson(
        report.lessons[0], lambda rel: (path.parent / rel).read_bytes(), course_vocabulary(report.lessons)
    )
    images = {e.image for e in compiled.document.exercises if e.type == "reading"}
    assert len(images) == 1 and images.pop() in compiled.media
