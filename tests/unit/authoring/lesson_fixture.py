"""A small valid lesson with every exercise type, and a course folder to put it in: the base that the
broken-lesson table mutates one line at a time."""

from __future__ import annotations

import uuid
from pathlib import Path

COURSE = "eesti-test"
LESSON_ID = "a1-01-tere"
GOOD_LESSON = """\
id: a1-01-tere
course: eesti-test
level: A1
order: 1
topic: greetings
grammar: [greetings]
title:
  et: Tere
  en: Hello
  ru: Привет
  uk: Привіт
instructions:
  et: Õpi tervitama.
  en: Learn to greet.
  ru: Учитесь здороваться.
  uk: Вчіться вітатися.
vocabulary:
  - lemma: tere
    pos: interj
    en: hello
    ru: привет
    uk: привіт
    example: Tere, Mari!
  - lemma: õde
    pos: noun
    en: sister
    ru: сестра
    uk: сестра
    example: Minu õde elab Tartus.
exercises:
  - {id: a1-01-tere-01, type: flashcard, lemma: tere, direction: et-native}
  - id: a1-01-tere-02
    type: choice
    prompt: Minu ema tütar on minu ...
    options: [õde, vend]
    answer: õde
  - id: a1-01-tere-03
    type: cloze
    text: Minu ___ elab Tartus.
    lemma: õde
    answer: õde
  - id: a1-01-tere-04
    type: inflect
    lemma: õde
    form: sg g
    sentence: See on minu ___ raamat.
  - id: a1-01-tere-05
    type: translate
    source: {en: My sister lives in Tartu., ru: Моя сестра живёт в Тарту., uk: Моя сестра живе в Тарту.}
    answer: Minu õde elab Tartus.
  - id: a1-01-tere-06
    type: order
    answer: Minu õde elab Tartus.
    accept: [Tartus elab minu õde.]
  - id: a1-01-tere-07
    type: listen
    audio: media/a1-01-tere-07.ogg
    answer: Tere, Mari!
"""
AUDIO = b"OggS fake audio bytes for a1-01-tere-07"


def write_course(
    root: Path,
    lesson: str = GOOD_LESSON,
    *,
    media: bool = True,
    known_words: str = "",
    lesson_id: str = LESSON_ID,
    audio: bytes = AUDIO,
) -> Path:
    """A course folder holding one lesson file (renamed to ``lesson_id`` when given, so tests sharing a
    database do not meet each other's lessons); returns the lesson file's path."""
    course = root / COURSE
    (course / "media").mkdir(parents=True, exist_ok=True)
    if media:
        (course / "media" / f"{lesson_id}-07.ogg").write_bytes(audio)
    if known_words:
        (course / "known_words.txt").write_text(known_words, encoding="utf-8")
    path = course / f"{lesson_id}.yaml"
    path.write_text(lesson.replace(LESSON_ID, lesson_id), encoding="utf-8")
    return path


def unique_lesson_id() -> str:
    return f"a1-01-t{uuid.uuid4().hex[:10]}"
