"""The compiled lesson document: what `keelerada content upload` writes to object storage as
``lessons/<lesson-id>/<version>/lesson.json`` and what the study service renders exercises from.

Authors write YAML (content/FORMAT.md); compiling fills what the author need not type (inflect answers
synthesised by Vabamorf, skills by exercise type, lemmas practised, media keys content-addressed), so
the request path never parses YAML nor calls the synthesiser. Versions are immutable once written.
"""

from __future__ import annotations

import msgspec

# the content's closed sets are written once, in kinds; they are re-exported here for the content code
from learning_api.kinds import EXERCISE_TYPES, LANGUAGES, LEVELS, SKILLS, TOPICS  # noqa: F401

DEFAULT_SKILL = {
    "flashcard": "vocabulary",
    "choice": "vocabulary",
    "cloze": "grammar",
    "inflect": "grammar",
    "translate": "writing",
    "order": "writing",
    "listen": "listening",
    "writing": "writing",
    "speaking": "speaking",
}


class VocabularyEntry(msgspec.Struct, omit_defaults=True):
    lemma: str
    pos: str
    translations: dict[str, str]  # en/ru/uk
    example: str


class Exercise(msgspec.Struct, omit_defaults=True):
    """One exercise. ``answers`` (first = model answer) never leaves the server; for writing and speaking
    it holds the model answer only (empty when a speaking task has none), shown after a submission."""

    id: str
    type: str
    skill: str
    lemmas: list[str]
    answers: list[str]
    prompt: str | None = None  # choice
    options: list[str] | None = None  # choice
    text: str | None = None  # cloze: sentence with one ___
    lemma: str | None = None  # flashcard, cloze hint, inflect
    direction: str | None = None  # flashcard: et-native | native-et
    translations: dict[str, str] | None = None  # flashcard: the lemma's meaning per language
    form: str | None = None  # inflect: Vabamorf form code
    sentence: str | None = None  # inflect: optional context with ___
    source: dict[str, str] | None = None  # translate: the sentence in en/ru/uk
    words: list[str] | None = None  # order: the words of the model answer (shuffled when served)
    audio: str | None = None  # listen: object key media/<sha256>.<ext>
    image: str | None = None  # any type: object key of an illustration
    genre: str | None = None  # writing: email | letter | form | opinion | story | description
    mode: str | None = None  # speaking: describe | role-play | opinion | interview
    task: dict[str, str] | None = None  # writing, speaking: the task in et (shown) and en/ru/uk (help)
    min_words: int | None = None  # writing: the least and the most words the text should have
    max_words: int | None = None
    min_seconds: int | None = None  # speaking: the shortest and the longest answer expected
    max_seconds: int | None = None


class LessonDocument(msgspec.Struct, omit_defaults=True):
    id: str
    course: str
    level: str
    order: int
    topic: str
    version: int
    source_sha256: str  # of the compiled content without the version: re-uploading the same is a no-op
    title: dict[str, str]
    instructions: dict[str, str]
    grammar: list[str]
    vocabulary: list[VocabularyEntry]
    exercises: list[Exercise]


def lesson_object_key(lesson_id: str, version: int) -> str:
    return f"lessons/{lesson_id}/{version}/lesson.json"


def encode_lesson(document: LessonDocument) -> bytes:
    return msgspec.json.encode(document)


def decode_lesson(data: bytes) -> LessonDocument:
    return msgspec.json.decode(data, type=LessonDocument)
