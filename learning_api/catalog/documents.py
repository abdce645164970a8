"""The compiled lesson document: what `keelerada content upload` writes to object storage as
``lessons/<lesson-id>/<version>/lesson.json`` and what the study service renders exercises from.

Authors write YAML (content/FORMAT.md); compiling fills what the author need not type (inflect answers
synthesised by Vabamorf, skills by exercise type, lemmas practised, media keys content-addressed), so
the request path never parses YAML nor calls the synthesiser. Versions are immutable once written.

A reading or dialogue exercise becomes one exercise (item) per question, `<exercise id>-<question id>`,
all pointing by ``group`` at one ``Passage`` (the text or the dialogue) that the document stores once;
decoding hangs the passage on each of its questions (the same object), encoding takes it off again.
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
    "reading": "reading",
    "dialogue": "listening",
}
COMPREHENSION_TYPES = ("reading", "dialogue")  # a passage and questions, each question an item


class VocabularyEntry(msgspec.Struct, omit_defaults=True):
    lemma: str
    pos: str
    translations: dict[str, str]  # en/ru/uk
    example: str


class Turn(msgspec.Struct):
    speaker: str
    voice: str  # f1 f2 f3 m1 m2 m3
    text: str


class Passage(msgspec.Struct, omit_defaults=True):
    """The text of a reading exercise or the dialogue of a dialogue exercise, shared by its questions."""

    id: str  # the reading/dialogue exercise's id, the ``group`` of its question items
    type: str  # reading | dialogue
    questions: list[str]  # the question items' ids, in question order
    genre: str | None = None  # reading
    title: str | None = None  # reading: the text's heading
    text: str | None = None  # reading
    situation: str | None = None  # dialogue: one sentence shown before listening
    recording: str | None = None  # dialogue: synthetic | human
    audio: str | None = None  # dialogue: object key media/<sha256>.<ext>
    turns: list[Turn] | None = None  # dialogue: the transcript


class Exercise(msgspec.Struct, omit_defaults=True):
    """One exercise. ``answers`` (first = model answer) never leaves the server; for writing and speaking
    it holds the model answer only (empty when a speaking task has none), shown after a submission.

    A question of a reading or dialogue: ``answers`` holds the option (choice), true/false/not-given
    (true-false), the rights in the order of ``lefts`` joined by a newline (match), or the model and
    accepted answers (short)."""

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
    group: str | None = None  # reading, dialogue: the id of the passage the question is about
    kind: str | None = None  # reading, dialogue: choice | true-false | match | short
    statement: str | None = None  # true-false question
    lefts: list[str] | None = None  # match question, in the author's order
    rights: list[str] | None = None  # match question, in the lefts' order (shuffled when shown)
    passage: Passage | None = None  # attached on decoding, never stored with the exercise


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
    passages: list[Passage] = msgspec.field(default_factory=list)


def lesson_object_key(lesson_id: str, version: int) -> str:
    return f"lessons/{lesson_id}/{version}/lesson.json"


def encode_lesson(document: LessonDocument) -> bytes:
    exercises = [
        msgspec.structs.replace(e, passage=None) if e.passage is not None else e for e in document.exercises
    ]
    return msgspec.json.encode(msgspec.structs.replace(document, exercises=exercises))


def attach_passages(document: LessonDocument) -> LessonDocument:
    """Hang each passage on its questions, so whoever holds a question item can show its text."""
    passages = {passage.id: passage for passage in document.passages}
    for exercise in document.exercises:
        if exercise.group is not None:
            exercise.passage = passages.get(exercise.group)
    return document


def decode_lesson(data: bytes) -> LessonDocument:
    return attach_passages(msgspec.json.decode(data, type=LessonDocument))
