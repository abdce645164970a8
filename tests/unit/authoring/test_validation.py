"""`validate` on a seeded table of broken lessons: each break gives exactly the expected
``file:line: message`` problems, and several breaks in one file are all reported in one run."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from learning_api.authoring.validation import validate_paths
from learning_api.kinds import EXERCISE_TYPES
from tests.unit.authoring.lesson_fixture import COURSE, GOOD_LESSON, write_course

ROOT = Path(__file__).resolve().parents[3]

# (what is broken, text replaced, replacement, the expected "line: message" problems)
BROKEN: list[tuple[str, str, str, list[str]]] = [
    ("bad level", "level: A1", "level: A7", ["3: 'level' must be one of A1, A2, B1, B2, C1, not 'A7'"]),
    (
        "course is not the folder",
        "course: eesti-test",
        "course: muu",
        ["2: 'course' must be the folder name 'eesti-test'"],
    ),
    (
        "unknown lesson key",
        "grammar: [greetings]",
        "subjekt: [greetings]",
        ["6: unknown key 'subjekt' in the lesson"],
    ),
    (
        "title language missing",
        "  uk: Привіт",
        "  pl: Cześć",
        ["7: 'title' has no text in 'uk'", "11: unknown key 'pl' in 'title'"],
    ),
    (
        "vocabulary translation missing",
        "    uk: привіт",
        "    pl: cześć",
        ["18: a vocabulary entry needs 'uk'", "22: unknown key 'pl' in a vocabulary entry"],
    ),
    (
        "unknown word",
        "example: Tere, Mari!",
        "example: Tere, Mqrx!",
        ["23: unknown Estonian word 'Mqrx': fix the spelling or list it in known_words.txt"],
    ),
    (
        "flashcard lemma not in vocabulary",
        "lemma: tere, direction",
        "lemma: ema, direction",
        ["31: flashcard lemma 'ema' is not in the vocabulary"],
    ),
    (
        "duplicate exercise id",
        "id: a1-01-tere-03",
        "id: a1-01-tere-02",
        ["37: exercise id 'a1-01-tere-02' is already used at {path}:32"],
    ),
    (
        "exercise id of another lesson",
        "id: a1-01-tere-05",
        "id: a1-02-nimi-05",
        ["47: exercise id 'a1-02-nimi-05' must start with 'a1-01-tere-'"],
    ),
    (
        "choice answer not an option",
        "options: [õde, vend]",
        "options: [ema, vend]",
        ["36: the answer 'õde' is not one of the options"],
    ),
    (
        "duplicate key",
        "    answer: õde\n  - id: a1-01-tere-03",
        "    answer: õde\n    answer: vend\n  - id: a1-01-tere-03",
        ["37: duplicate key 'answer'"],
    ),
    (
        "cloze without a gap",
        "text: Minu ___ elab Tartus.",
        "text: Minu õde elab Tartus.",
        ["39: 'text' must have exactly one gap written as ___"],
    ),
    (
        "cloze answer not a form of its lemma",
        "    lemma: õde\n    answer: õde",
        "    lemma: õde\n    answer: vend",
        ["41: cloze answer 'vend' is not a form of 'õde' for Vabamorf (it reads: vend sg n)"],
    ),
    (
        "inflect form Vabamorf cannot make",
        "form: sg g",
        "form: sg xx",
        ["45: Vabamorf has no form 'sg xx' of 'õde'"],
    ),
    (
        "inflect answer typed by the author",
        "form: sg g",
        "form: sg g\n    answer: õe",
        ["46: inflect answers come from Vabamorf: remove 'answer'"],
    ),
    (
        "translate source language missing",
        "uk: Моя сестра живе в Тарту.}",
        "pl: Moja siostra.}",
        ["49: 'source' has no text in 'uk'", "49: unknown key 'pl' in 'source'"],
    ),
    (
        "unknown exercise type",
        "type: order",
        "type: sort",
        [f"52: 'type' must be one of {', '.join(EXERCISE_TYPES)}, not 'sort'"],
    ),
    (
        "order accept with other words",
        "accept: [Tartus elab minu õde.]",
        "accept: [Tartus elab minu vend.]",
        ["54: 'Tartus elab minu vend.' does not use the same words as the answer"],
    ),
    (
        "media outside media/",
        "audio: media/a1-01-tere-07.ogg",
        "audio: ../a1-01-tere-07.ogg",
        ["57: 'audio' must be a path under media/, like media/a1-01-tere-07.ogg"],
    ),
    (
        "number where text belongs",
        "answer: Tere, Mari!",
        "answer: 1991",
        ["58: 'answer' must be text (put it in quotes)"],
    ),
    (
        "facts_checked not a month",
        "grammar: [greetings]",
        "grammar: [greetings]\nfacts_checked: 2026-13",
        ["7: 'facts_checked' must be a month written YYYY-MM, like 2026-12"],
    ),
    (
        "broken YAML",
        "options: [õde, vend]",
        "options: [õde, vend",
        ["36: YAML syntax: did not find expected ',' or ']'"],
    ),
]


def problems(path: Path, **kwargs: object) -> list[str]:
    return [str(problem) for problem in validate_paths([path], **kwargs).problems]  # type: ignore[arg-type]


def test_the_good_lesson_has_no_problems(tmp_path: Path) -> None:
    assert problems(write_course(tmp_path)) == []


@pytest.mark.parametrize(("case", "old", "new", "expected"), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_lesson(tmp_path: Path, case: str, old: str, new: str, expected: list[str]) -> None:
    assert GOOD_LESSON.count(old) == 1, case
    path = write_course(tmp_path, GOOD_LESSON.replace(old, new))
    assert problems(path) == [f"{path}:{line.format(path=path)}" for line in expected]


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    broken = GOOD_LESSON
    for _, old, new, _ in [BROKEN[0], BROKEN[6], BROKEN[9], BROKEN[13]]:
        broken = broken.replace(old, new)
    path = write_course(tmp_path, broken)
    assert [p.split(":", 2)[1] for p in problems(path)] == ["3", "31", "36", "45"]


def test_missing_media_file(tmp_path: Path) -> None:
    path = write_course(tmp_path, media=False)
    assert problems(path) == [f"{path}:57: media file 'media/a1-01-tere-07.ogg' is missing"]


def test_known_words_file_allows_a_word_and_wants_a_reason(tmp_path: Path) -> None:
    lesson = GOOD_LESSON.replace("example: Tere, Mari!", "example: Tere, Mqrx ja Zzyq!")
    path = write_course(tmp_path, lesson, known_words="Mqrx   # a name in a test\nzzyq\n")
    known = path.parent / "known_words.txt"
    assert problems(path) == [f"{known}:2: say why 'zzyq' is listed: 'zzyq  # why'"]


def _tagged_audio(text: str) -> bytes:
    comment = b"spoken=" + text.encode()
    return b"OggS...vorbis" + len(comment).to_bytes(4, "little") + comment + b"...audio"


def test_generated_audio_must_speak_the_answer(tmp_path: Path) -> None:
    assert problems(write_course(tmp_path, audio=_tagged_audio("Tere, Mari!"))) == []
    path = write_course(tmp_path, audio=_tagged_audio("Head aega!"))
    assert problems(path) == [
        f"{path}:57: 'media/a1-01-tere-07.ogg' speaks 'Head aega!', not the answer: "
        "run `keelerada content audio`"
    ]


def test_codes_with_digits_are_not_words(tmp_path: Path) -> None:
    lesson = GOOD_LESSON.replace("example: Tere, Mari!", "example: Minu tase on A2.")
    assert problems(write_course(tmp_path, lesson)) == []


def test_ids_stay_stable_against_what_was_published(tmp_path: Path) -> None:
    path = write_course(tmp_path)
    published = {"a1-01-tere-06": ("a1-01-tere", "translate"), "a1-01-tere-07": ("a1-01-tere", "listen")}
    assert problems(path, published=published) == [
        f"{path}:51: exercise id 'a1-01-tere-06' was published with type 'translate' in lesson 'a1-01-tere': "
        "ids are stable, give this exercise a new id"
    ]


def test_cli_prints_every_problem_and_exits_nonzero(tmp_path: Path) -> None:
    broken = GOOD_LESSON.replace("level: A1", "level: A7").replace("form: sg g", "form: sg xx")
    path = write_course(tmp_path, broken)
    run = subprocess.run(
        [sys.executable, "-m", "scripts.cli", "content", "validate", str(path.parent)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"{path}:3: 'level' must be one of A1, A2, B1, B2, C1, not 'A7'",
        f"{path}:45: Vabamorf has no form 'sg xx' of 'õde'",
        "2 problem(s) in 1 lesson(s)",
    ]


def _warnings(path: Path, **kwargs: object) -> list[str]:
    report = validate_paths([path], **kwargs)  # type: ignore[arg-type]
    assert report.problems == []
    return [str(warning) for warning in report.warnings]


def test_facts_checked_over_two_years_ago_is_a_warning_from_the_given_date(tmp_path: Path) -> None:
    path = write_course(
        tmp_path, GOOD_LESSON.replace("grammar: [greetings]", "grammar: [greetings]\nfacts_checked: 2024-11")
    )
    assert _warnings(path) == []  # no date given, no clock read
    assert _warnings(path, today=date(2026, 11, 30)) == []  # two years to the month: still fine
    assert _warnings(path, today=date(2026, 12, 1)) == [
        f"{path}:7: warning: the facts were checked in 2024-11, over two years ago: check the fees, laws and "
        "dates the lesson states, then update 'facts_checked'"
    ]
    assert _warnings(path, today=date(2024, 10, 1)) == [
        f"{path}:7: warning: 'facts_checked' 2024-11 is in the future"
    ]


def test_a_second_option_that_fits_is_a_warning(tmp_path: Path) -> None:
    lesson = GOOD_LESSON.replace("prompt: Minu ema tütar on minu ...", "prompt: Ma lähen ...").replace(
        "options: [õde, vend]\n    answer: õde", "options: [tuppa, toasse, toas]\n    answer: tuppa"
    )
    lesson = lesson.replace(
        "text: Minu ___ elab Tartus.\n    lemma: õde\n    answer: õde",
        "text: Eile ___ kinno.\n    lemma: minema\n    answer: läksin",
    )
    path = write_course(tmp_path, lesson)
    assert _warnings(path) == [
        f"{path}:35: warning: option 'toasse' fits too: the grader takes it for the answer 'tuppa'",
        f"{path}:41: warning: cloze 'läksin' has no subject to fix its person, so läksid, läksime, "
        "läksite fit too: add the subject or accept them",
    ]


def test_the_content_root_finds_every_course_under_it(tmp_path: Path) -> None:
    first = write_course(tmp_path / "content")
    other = tmp_path / "content" / "eesti-muu"
    other.mkdir()
    (other / "a1-02-muu.yaml").write_text(
        first.read_text(encoding="utf-8").replace("a1-01-tere", "a1-02-muu").replace(COURSE, "eesti-muu"),
        encoding="utf-8",
    )
    (first.parent / "media" / "not-a-lesson.yaml").write_text("media files are not lessons", encoding="utf-8")
    (other / "media").mkdir()
    (other / "media" / "a1-02-muu-07.ogg").write_bytes(b"OggS")
    report = validate_paths([tmp_path / "content"])
    assert report.problems == []
    assert sorted(lesson.facts.lesson_id for lesson in report.lessons) == ["a1-01-tere", "a1-02-muu"]


def test_an_accepted_sentence_split_at_its_comma_is_a_warning(tmp_path: Path) -> None:
    """`accept: [Kui on aega, tulen.]` is two answers in YAML; the second half alone would be graded right."""
    lesson = GOOD_LESSON.replace(
        "    answer: Minu õde elab Tartus.\n  - id: a1-01-tere-06",
        "    answer: Minu õde elab Tartus.\n    accept: [Minu õde, elab Tartus.]\n  - id: a1-01-tere-06",
    )
    path = write_course(tmp_path, lesson)
    assert _warnings(path) == [
        f"{path}:51: warning: 'elab Tartus.' looks like a piece of a longer answer: if a sentence with a "
        "comma was split, write the accepted answers one quoted item a line"
    ]
    quoted = lesson.replace("accept: [Minu õde, elab Tartus.]", 'accept:\n      - "Minu õde, elab Tartus."')
    assert _warnings(write_course(tmp_path / "quoted", quoted)) == []


def test_two_lessons_of_a_course_cannot_share_a_place(tmp_path: Path) -> None:
    """Two authors writing at once both took place 30; the course order would be a coin toss."""
    first = write_course(tmp_path, lesson_id="a1-01-tere")
    write_course(tmp_path, lesson_id="a1-02-tere")
    problems = [str(problem) for problem in validate_paths([first.parent]).problems]
    assert problems == [
        f"{first.parent / 'a1-02-tere.yaml'}:4: order 1 is already taken by {first}:4: "
        "each lesson of a course has a place of its own"
    ]
    renumbered = GOOD_LESSON.replace("order: 1", "order: 2")
    write_course(tmp_path, renumbered, lesson_id="a1-02-tere")
    assert validate_paths([first.parent]).problems == []


def test_a_plural_asked_after_a_numeral_is_a_warning(tmp_path: Path) -> None:
    """Estonian counts in the singular ("kaks õde", "kolm armsat õde"): the synthesised plural would be a
    wrong model answer. A numeral that counts another noun ("kaks kilo") is no such case."""
    asked = "    form: sg g\n    sentence: See on minu ___ raamat."
    counted = GOOD_LESSON.replace(asked, "    form: pl p\n    sentence: Mul on kaks toredat ___.")
    path = write_course(tmp_path, counted)
    assert _warnings(path) == [
        f"{path}:45: warning: 'kaks' counts the gap's noun, which then stays singular: ask for 'sg' "
        "instead of 'pl p'"
    ]
    weighed = GOOD_LESSON.replace(asked, "    form: pl p\n    sentence: Palun kaks kilo ___.")
    assert _warnings(write_course(tmp_path / "weighed", weighed)) == []


def test_a_short_answer_equal_to_a_part_of_the_model_answer_is_a_warning(tmp_path: Path) -> None:
    """`accept: [et teada, kui palju suppi keeta]` was meant as one answer: each half alone was accepted."""
    from tests.unit.authoring.exam_fixture import EXAM_LESSON, write_exam_course

    asked = "        answer: kell kümme\n        accept: [kümnest]"
    assert asked in EXAM_LESSON
    split = EXAM_LESSON.replace(
        asked, "        answer: kell kümme, hommikul\n        accept: [kell kümme, hommikul]"
    )
    warnings = [w for w in _warnings(write_exam_course(tmp_path, split)) if "piece of a longer answer" in w]
    assert sorted(w.split(": warning: ")[1].split("'")[1] for w in warnings) == ["hommikul", "kell kümme"]
    quoted = split.replace("accept: [kell kümme, hommikul]", 'accept: ["kell kümme hommikul"]')
    assert not [w for w in _warnings(write_exam_course(tmp_path / "q", quoted)) if "piece" in w]
