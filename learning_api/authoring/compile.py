"""Compile a validated lesson source into the ``LessonDocument`` that is stored and served.

Compiling fills in what authors never type: inflect answers synthesised by Vabamorf, flashcard answers
from the vocabulary, default skills, the lemmas each exercise practises, media replaced by
content-addressed keys. ``source_sha256`` hashes the result without its version, so an unchanged lesson
(media included, through their hashes) compiles to the same hash and re-uploading it is a no-op.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import msgspec

from learning_api.authoring.comprehension import true_false
from learning_api.authoring.language_checks import synthesise
from learning_api.authoring.loader import LineDict
from learning_api.authoring.schema import NATIVE
from learning_api.authoring.validation import CheckedLesson
from learning_api.catalog.documents import (
    COMPREHENSION_TYPES,
    DEFAULT_SKILL,
    Exercise,
    LessonDocument,
    Passage,
    Turn,
    VocabularyEntry,
    attach_passages,
    encode_lesson,
)
from learning_api.kinds import HUMAN_SCORED_TYPES
from learning_api.language import get_morphology

CONTENT_TYPES = {
    ".ogg": "audio/ogg", ".opus": "audio/ogg", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".wav": "audio/wav",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
    ".svg": "image/svg+xml",
}  # fmt: skip
_MEANING_SPLIT = re.compile(r"[,;]")
_WORD = re.compile(r"\w+")
_TEXT_FIELDS = ("prompt", "answer", "text", "sentence")


@dataclass(frozen=True)
class MediaFile:
    key: str
    data: bytes
    content_type: str


@dataclass
class CompiledLesson:
    document: LessonDocument  # version 0 until upload numbers it
    media: dict[str, MediaFile]  # by object key


def media_file(relative_path: str, data: bytes) -> MediaFile:
    extension = "." + relative_path.rsplit(".", 1)[-1].lower()
    key = f"media/{hashlib.sha256(data).hexdigest()}{extension}"
    return MediaFile(key, data, CONTENT_TYPES.get(extension, "application/octet-stream"))


def vocabulary_entry(entry: LineDict) -> VocabularyEntry:
    return VocabularyEntry(
        lemma=entry["lemma"].strip(),
        pos=entry["pos"],
        translations={lang: entry[lang].strip() for lang in NATIVE},
        example=entry["example"].strip(),
    )


def course_vocabulary(lessons: list[CheckedLesson]) -> dict[str, VocabularyEntry]:
    """Every lemma of the course once (its first definition), for flashcards that revisit old words."""
    vocabulary: dict[str, VocabularyEntry] = {}
    for lesson in lessons:
        for entry in lesson.data["vocabulary"]:
            vocabulary.setdefault(entry["lemma"].strip(), vocabulary_entry(entry))
    return vocabulary


def source_hash(document: LessonDocument) -> str:
    unnumbered = msgspec.structs.replace(document, version=0, source_sha256="")
    return hashlib.sha256(encode_lesson(unnumbered)).hexdigest()


def compile_lesson(
    lesson: CheckedLesson, read_media: Callable[[str], bytes], vocabulary: Mapping[str, VocabularyEntry]
) -> CompiledLesson:
    data = lesson.data
    own = [vocabulary_entry(entry) for entry in data["vocabulary"]]
    lookup = {**vocabulary, **{entry.lemma: entry for entry in own}}
    media: dict[str, MediaFile] = {}

    def media_key(relative_path: str) -> str:
        file = media_file(relative_path, read_media(relative_path))
        media[file.key] = file
        return file.key

    exercises: list[Exercise] = []
    passages: list[Passage] = []
    for raw in data["exercises"]:
        if raw["type"] in COMPREHENSION_TYPES:
            passage, questions = _comprehension(raw, lookup, media_key)
            passages.append(passage)
            exercises.extend(questions)
        else:
            exercises.append(_exercise(raw, lookup, media_key))
    document = LessonDocument(
        id=data["id"],
        course=data["course"],
        level=data["level"],
        order=data["order"],
        topic=data["topic"],
        version=0,
        source_sha256="",
        title={lang: text.strip() for lang, text in data["title"].items()},
        instructions={lang: text.strip() for lang, text in data["instructions"].items()},
        grammar=list(data.get("grammar") or []),
        vocabulary=own,
        exercises=exercises,
        passages=passages,
    )
    document.source_sha256 = source_hash(document)
    return CompiledLesson(attach_passages(document), media)


def _texts(raw: LineDict, key: str) -> list[str]:
    return [text.strip() for text in raw.get(key) or []]


def _exercise(
    raw: LineDict, vocabulary: Mapping[str, VocabularyEntry], media_key: Callable[[str], str]
) -> Exercise:
    kind = raw["type"]
    fields = {key: raw[key].strip() for key in ("prompt", "text", "lemma", "form", "sentence") if key in raw}
    answers = [raw["answer"].strip(), *_texts(raw, "accept")] if "answer" in raw else []
    extra: dict[str, object] = {}
    if kind == "flashcard":
        entry = vocabulary[raw["lemma"].strip()]
        extra = {"direction": raw["direction"], "translations": dict(entry.translations)}
        native_et = raw["direction"] == "native-et"
        answers = [entry.lemma, *_texts(raw, "accept")] if native_et else _meanings(entry.translations)
    elif kind == "choice":
        extra["options"] = _texts(raw, "options")
    elif kind == "inflect":
        entry = vocabulary.get(fields["lemma"])
        hints = _WORD.findall(entry.example) if entry else []
        answers = synthesise(fields["lemma"], fields["form"], entry.pos if entry else "", hints)
    elif kind == "translate":
        extra["source"] = {lang: raw["source"][lang].strip() for lang in NATIVE}
    elif kind == "order":
        extra["words"] = answers[0].split()
    elif kind == "listen":
        extra["audio"] = media_key(raw["audio"].strip())
    elif kind in HUMAN_SCORED_TYPES:
        extra = _production(raw)
        answers = [raw["model"].strip()] if raw.get("model") else []
    if "image" in raw:
        extra["image"] = media_key(raw["image"].strip())
    lemmas = _texts(raw, "lemmas") or _lemmas_practised(raw, fields, answers, vocabulary)
    return Exercise(
        id=raw["id"].strip(),
        type=kind,
        skill=raw.get("skill") or DEFAULT_SKILL[kind],
        lemmas=lemmas,
        answers=answers,
        **fields,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def _comprehension(
    raw: LineDict, vocabulary: Mapping[str, VocabularyEntry], media_key: Callable[[str], str]
) -> tuple[Passage, list[Exercise]]:
    """A reading text or a dialogue, stored once, and one item per question pointing at it."""
    kind, exercise_id = raw["type"], raw["id"].strip()
    skill = raw.get("skill") or DEFAULT_SKILL[kind]
    image = media_key(raw["image"].strip()) if "image" in raw else None  # shown with every question
    questions = [_question(q, exercise_id, kind, skill, raw, vocabulary, image) for q in raw["questions"]]
    turns = [Turn(t["speaker"].strip(), t["voice"], t["text"].strip()) for t in raw.get("turns") or []]
    passage = Passage(
        id=exercise_id,
        type=kind,
        questions=[question.id for question in questions],
        genre=raw.get("genre"),
        title=raw["title"].strip() if raw.get("title") else None,
        text=raw["text"].strip() if raw.get("text") else None,
        situation=raw["situation"].strip() if raw.get("situation") else None,
        recording=raw.get("recording"),
        audio=media_key(raw["audio"].strip()) if raw.get("audio") else None,
        turns=turns or None,
    )
    return passage, questions


def _question(
    raw: LineDict,
    group: str,
    kind: str,
    skill: str,
    exercise: LineDict,
    vocabulary: Mapping[str, VocabularyEntry],
    image: str | None,
) -> Exercise:
    question = raw["kind"]
    fields: dict[str, object] = {}
    if question == "true-false":
        fields["statement"] = raw["statement"].strip()
        answers = [true_false(raw["answer"]) or ""]
    elif question == "match":
        lefts, rights = zip(*((left.strip(), right.strip()) for left, right in raw["pairs"]), strict=True)
        fields |= {"prompt": raw["prompt"].strip(), "lefts": list(lefts), "rights": list(rights)}
        answers = ["\n".join(rights)]
    else:
        fields["prompt"] = raw["prompt"].strip()
        answers = [raw["answer"].strip(), *_texts(raw, "accept")]
        if question == "choice":
            fields["options"] = _texts(raw, "options")
    said = {"prompt": str(fields.get("prompt") or fields.get("statement") or "")}
    lemmas = _texts(exercise, "lemmas") or _lemmas_practised(raw, said, answers, vocabulary)
    return Exercise(
        id=f"{group}-{raw['id'].strip()}",
        type=kind,
        skill=skill,
        lemmas=lemmas,
        answers=answers,
        group=group,
        kind=question,
        image=image,
        **fields,  # type: ignore[arg-type]
    )


def _production(raw: LineDict) -> dict[str, object]:
    """A writing or speaking task: genre or mode, the task per language, the limits (validated)."""
    extra: dict[str, object] = {"task": {lang: text.strip() for lang, text in raw["task"].items()}}
    if raw["type"] == "writing":
        extra |= {"genre": raw["genre"], "min_words": raw["words"][0], "max_words": raw["words"][1]}
    else:
        extra |= {"mode": raw["mode"], "min_seconds": raw["seconds"][0], "max_seconds": raw["seconds"][1]}
    return extra


def _meanings(translations: Mapping[str, str]) -> list[str]:
    """'мать, мама' -> both; a learner's answer is right if it is any meaning in any of their languages."""
    meanings = (part.strip() for text in translations.values() for part in _MEANING_SPLIT.split(text))
    return list(dict.fromkeys(meaning for meaning in meanings if meaning))


def _lemmas_practised(
    raw: LineDict, fields: Mapping[str, str], answers: list[str], vocabulary: Mapping[str, VocabularyEntry]
) -> list[str]:
    """The course's vocabulary lemmas that occur (in any form) in the exercise's text and model answer;
    a choice's wrong options are not practised, so they do not count."""
    if "lemma" in fields:
        return [fields["lemma"]]
    text = " ".join([*(fields.get(key, "") for key in _TEXT_FIELDS), *answers[:1]])
    seen = [token.lemma for token in get_morphology().analyse(text) if token.is_word]
    found = set(seen)
    single = [lemma for lemma in dict.fromkeys(seen) if lemma in vocabulary]
    phrases = [lemma for lemma in vocabulary if " " in lemma and all(part in found for part in lemma.split())]
    return single + phrases
