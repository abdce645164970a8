"""A small valid A2 lesson with a reading text and a dialogue, every question kind among them, and a
course folder to put it in: the base that the tests of the comprehension types mutate line by line."""

from __future__ import annotations

import uuid
from pathlib import Path

COURSE = "eesti-test"
LESSON_ID = "a2-01-kohvik"
EXAM_LESSON = """\
id: a2-01-kohvik
course: eesti-test
level: A2
order: 1
topic: work
title:
  et: Kohvikus
  en: At the café
  ru: В кафе
  uk: У кав'ярні
instructions:
  et: Loe ja kuula, siis vasta küsimustele.
  en: Read and listen, then answer the questions.
  ru: Читайте и слушайте, потом ответьте на вопросы.
  uk: Читайте і слухайте, потім дайте відповідь на запитання.
vocabulary:
  - lemma: kohvik
    pos: noun
    en: café
    ru: кафе
    uk: кав'ярня
    example: Kohvik on kesklinnas.
exercises:
  - id: a2-01-kohvik-r1
    type: reading
    genre: ad
    title: Töökuulutus
    text: |
      Kohvik Mari otsib oma meeskonda teenindajat. Kohvik asub Tartu kesklinnas, bussijaama lähedal.
      Me oleme lahti esmaspäevast reedeni kella kaheksast viieni ja laupäeval kella kümnest kolmeni.
      Pühapäeval on kohvik suletud. Teenindaja teeb kohvi, müüb kooke ja koristab laudu.
      Me ootame inimest, kes räägib eesti keelt ja natuke inglise keelt. Kogemus ei ole vajalik,
      sest me õpetame sulle kõike ise. Töö on hommikul või päeval, õhtul ei pea sa töötama.
      Palk on hea ja iga päev saad tasuta lõunat. Kui sa tahad meie juures töötada, kirjuta
      Kadrile. Ootame sinu kirja kuni mai lõpuni!
    questions:
      - id: q1
        kind: choice
        prompt: Keda kohvik otsib?
        options: [kokka, teenindajat, koristajat]
        answer: teenindajat
      - id: q2
        kind: true-false
        statement: Töö on ainult õhtul.
        answer: false
      - id: q3
        kind: match
        prompt: Millal on kohvik lahti?
        pairs:
          - [esmaspäeval, kella kaheksast viieni]
          - [laupäeval, kella kümnest kolmeni]
          - [pühapäeval, suletud]
      - id: q4
        kind: short
        prompt: Kellele tuleb kirjutada?
        answer: Kadrile
  - id: a2-01-kohvik-d1
    type: dialogue
    situation: Ivan helistab kohvikusse.
    recording: synthetic
    audio: media/a2-01-kohvik-d1.ogg
    turns:
      - {speaker: Kadri, voice: f1, text: "Tere, kohvik Mari, Kadri kuuleb."}
      - {speaker: Ivan, voice: m1, text: "Tere! Ma nägin teie kuulutust ja tahaksin teenindajaks tulla."}
      - {speaker: Kadri, voice: f1, text: "Väga hea! Kas te räägite eesti keelt?"}
      - {speaker: Ivan, voice: m1, text: "Jah, natuke. Ma õpin eesti keelt juba kaks aastat."}
      - {speaker: Kadri, voice: f1, text: "Tulge homme kell kümme kohvikusse, siis räägime."}
    questions:
      - id: q1
        kind: choice
        prompt: Miks Ivan helistab?
        options: [ta tahab tööd, ta tahab kohvi, ta tahab lauda]
        answer: ta tahab tööd
      - id: q2
        kind: true-false
        statement: Ivan on kohvikus varem töötanud.
        answer: not-given
      - id: q3
        kind: short
        prompt: Mis kell peab Ivan homme tulema?
        answer: kell kümme
        accept: [kümnest]
"""
AUDIO = b"OggS fake dialogue audio for a2-01-kohvik-d1"


def write_exam_course(
    root: Path, lesson: str = EXAM_LESSON, *, audio: bytes | None = AUDIO, lesson_id: str = LESSON_ID
) -> Path:
    """A course folder holding the lesson (and its dialogue clip unless ``audio`` is None), renamed to
    ``lesson_id`` when given so tests sharing a database do not meet each other's lessons."""
    course = root / COURSE
    (course / "media").mkdir(parents=True, exist_ok=True)
    if audio is not None:
        (course / "media" / f"{lesson_id}-d1.ogg").write_bytes(audio)
    path = course / f"{lesson_id}.yaml"
    path.write_text(lesson.replace(LESSON_ID, lesson_id), encoding="utf-8")
    return path


def unique_exam_lesson_id() -> str:
    return f"a2-01-k{uuid.uuid4().hex[:10]}"
